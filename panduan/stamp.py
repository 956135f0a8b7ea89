"""Stamp: a second `python build.py` on an unchanged tree leaves the site as it is.

A build is a function of the source tree and `now`. After a successful build,
the stamp (ROOT/.cache/panduan/stamp.txt) records a digest of everything the
build read, the stretch of time in which its output does not change
(phases.Clock: [since, next_change)), what it printed, and the content
digest of every file it wrote. The next `build.py` computes the
digest first; if it is the same, `now` is inside the stretch and the output
folder holds exactly the files written, each untouched, the site on disk is
already the one a build would write: it is left alone and the same report is
printed (as make and ninja do). Anything else (no stamp, an unreadable or
damaged one, one tracked by git, a changed, added or removed file in the
output) means: build. The stamp is data only, checksummed (store.py); output
files are compared by content, not modification time, so a site and stamp
restored together from a CI cache still hold, and a damaged page is rebuilt.

What the digest covers: the engine (its source, Python and library versions,
as for the cache), the settings (`--strict`, `--drafts`, the output folder),
the content of guide.yaml and of every file under content/, templates/,
static/ and i18n/, and the git dates shown as "last updated".
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

from . import store
from .cache import digest, engine_digest
from .history import git_dates
from .sourcefiles import SourceRefused, read_source, source_paths
from .phases import Clock
from .problems import Problem

STAMP_FILE = "stamp.txt"


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


def output_files(out: Path) -> dict[str, str]:
    """Every file in the output folder: its content digest."""
    found = {}
    for directory, _, names in os.walk(out):
        for name in names:
            path = Path(directory, name)
            found[path.relative_to(out).as_posix()] = digest(path.read_bytes())
    return found


@dataclasses.dataclass(frozen=True)
class Stamp:
    inputs: str
    since: str | None
    next_change: str | None
    outputs: dict[str, str]
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
        """Write the stamp atomically as data (store.py), unless git tracks it; a failure only costs a build."""
        path = folder / STAMP_FILE
        if store.tracked_by_git(path):
            return
        store.write(path, {}, [("stamp", "last", {
            "inputs": self.inputs, "since": self.since, "next_change": self.next_change,
            "outputs": self.outputs, "warnings": store.encode_problems(self.warnings), "report": list(self.report)})])


def _moment(value) -> str | None:
    """An ISO moment with its time zone (comparable with `now`), or None."""
    if value is None:
        return None
    moment = dt.datetime.fromisoformat(store.text(value))
    if moment.utcoffset() is None:
        raise ValueError("a moment without a time zone")
    return moment.isoformat()


def _decode(value) -> Stamp:
    outputs = value["outputs"]
    if type(outputs) is not dict:
        raise TypeError("not a dict")
    return Stamp(store.text(value["inputs"]), _moment(value["since"]), _moment(value["next_change"]),
                 {store.text(name): store.text(known) for name, known in outputs.items()},
                 store.decode_problems(value["warnings"]), store.texts(value["report"]))


def load(folder: Path) -> Stamp | None:
    """The stamp of the last build, or None if there is none, or it is damaged or tracked by git."""
    found = store.read(folder / STAMP_FILE, {}, {"stamp": _decode}).get(("stamp", "last"))
    return found if found is not None and found.report else None
