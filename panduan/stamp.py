"""Stamp: a second `python build.py` on an unchanged tree leaves the site as it is.

A build is a function of the source tree and `now`. After a successful build,
the stamp (ROOT/.cache/panduan/stamp.json) records a digest of everything the
build read, the stretch of time in which its output does not change
(phases.Clock: [since, next_change)), what it printed, and the size and
modification time of every file it wrote. The next `build.py` computes the
digest first; if it is the same, `now` is inside the stretch and the output
folder holds exactly the files written, each untouched, the site on disk is
already the one a build would write: it is left alone and the same report is
printed (as make and ninja do). Anything else (no stamp, an unreadable one,
a changed, added or removed file in the output) means: build.

What the digest covers: the engine (its source, Python and library versions,
as for the cache), the settings (`--strict`, `--drafts`, the output folder),
the content of guide.yaml and of every file under content/, templates/,
static/ and i18n/, and the git dates shown as "last updated".
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import tempfile
from pathlib import Path

from .cache import digest, engine_digest
from .history import git_dates
from .sourcefiles import SourceRefused, read_source, source_paths
from .phases import Clock
from .problems import Problem

STAMP_FILE = "stamp.json"


def inputs_digest(root: Path, zone: str, strict: bool, drafts: bool, out: Path) -> str:
    """A digest of everything a build of `root` reads, and of its settings; computed before it reads them."""
    parts = [engine_digest(), f"strict={strict}", f"drafts={drafts}", str(out)]
    for path in [root / "guide.yaml", *source_paths(root)]:
        relative = path.relative_to(root).as_posix()
        try:
            content = digest(read_source(root, relative)) if not path.is_dir() else "a folder"
        except SourceRefused as refused:
            content = refused.message
        parts += [relative, content]
    for path, day in sorted(git_dates(root, zone).items()):
        parts += [path, day.isoformat()]
    return digest(*parts)


def output_files(out: Path) -> dict[str, list[int]]:
    """Every file in the output folder: [size, modification time in ns]."""
    found = {}
    for directory, _, names in os.walk(out):
        for name in names:
            path = Path(directory, name)
            info = path.stat()
            found[path.relative_to(out).as_posix()] = [info.st_size, info.st_mtime_ns]
    return found


@dataclasses.dataclass(frozen=True)
class Stamp:
    inputs: str
    since: str | None
    next_change: str | None
    outputs: dict[str, list[int]]
    warnings: tuple[Problem, ...]
    report: tuple[str, ...]   # the lines the build printed about itself, after the warnings

    @classmethod
    def after(cls, inputs: str, clock: Clock, out: Path, warnings, report: tuple[str, ...]) -> "Stamp":
        """The stamp of a build that read `inputs` and has just written `out`."""
        return cls(inputs, clock.since.isoformat() if clock.since else None,
                   clock.next_change.isoformat() if clock.next_change else None,
                   output_files(out), tuple(warnings), report)

    def holds(self, inputs: str, out: Path, now: dt.datetime) -> bool:
        """Would a build now write exactly what `out` holds?"""
        if inputs != self.inputs:
            return False
        if self.since is not None and now < dt.datetime.fromisoformat(self.since):
            return False
        if self.next_change is not None and now >= dt.datetime.fromisoformat(self.next_change):
            return False
        try:
            return output_files(out) == self.outputs
        except OSError:
            return False

    def save(self, folder: Path) -> None:
        """Write the stamp atomically; a failure only costs a build next time."""
        data = dataclasses.asdict(self)
        data["warnings"] = [dataclasses.asdict(p) for p in self.warnings]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".stamp-", dir=folder)
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(data, stream, ensure_ascii=False)
            os.replace(temporary, folder / STAMP_FILE)
        except OSError:
            pass


def load(folder: Path) -> Stamp | None:
    """The stamp of the last build, or None if there is none or it cannot be read."""
    try:
        data = json.loads((folder / STAMP_FILE).read_text(encoding="utf-8"))
        data["warnings"] = tuple(Problem(**p) for p in data["warnings"])
        data["report"] = tuple(data["report"])
        return Stamp(**data)
    except Exception:   # any damage means: build
        return None

