"""History: when each page was last updated, and the change notes readers see.

"Terakhir diperbarui" comes from a page's front-matter `updated`, or else the
date of the last git commit that touched its source files. Where that date
could be wrong it is left out rather than guessed: outside a git repository,
in a shallow clone (its oldest commit seems to add every file), and for files
that are untracked or have uncommitted changes. Git is part of the source
tree, so reading it keeps the build a function of (source tree, now).

Change notes (`changes:` in a page's front matter) make the updates page and
the Atom feed; an edit without a note publishes nothing, as on GOV.UK. Besides
them, every stage of the schedule announces itself there on its first day: as
of "now", each stage that has started is an entry, derived from
content/schedule.yaml alone, so the history of the election (campaign, quiet
period, voting day, results...) is in the feed of every build that follows it.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .sourcefiles import SOURCE_FOLDERS

if TYPE_CHECKING:   # only named in annotations: an unchanged build never imports it
    from .model import Guide, Page, Stage


SOURCES = ("guide.yaml", *SOURCE_FOLDERS)   # not _site/ or .cache/: thousands of files git need not look at


FEW_PATHS = 100   # changed paths that watch mode asks git about one by one; more: it asks about every file


class _GitFailed(Exception):
    """A git command failed: no dates (and nothing remembered, so the next build asks again)."""


@dataclass(frozen=True)
class GitAnswers:
    """What asking git found: rev-parse's answer (shallow?, the guide's folder in the repository,
    HEAD), the index file's stat, and the files with changes (staged, unstaged or untracked)."""
    head: str
    index: tuple
    dirty: frozenset[str]


class AskedGit:
    """git, asked once about the guide's files (snapshot.py): its commands run while the build goes
    on, and `dates(zone)` waits for them and gives, for each clean tracked file (its path relative to
    the guide), the date of the last commit touching it; the same answers every time it is asked.

    In watch mode the last rebuild's answers (`before`) and the paths the watcher saw change
    (`changed`) spare most of `git status`, which takes 0.1 s at 5,000 pages: while HEAD and the
    index file are as they were, only the changed paths can have changed state, so only they are
    asked about. A commit, `git add` or anything else that rewrites the index asks about all."""

    def __init__(self, root: Path, before: GitAnswers | None = None, changed=None) -> None:
        self.root = root
        self.head = _started(root, "rev-parse", "--is-shallow-repository", "--show-prefix", "--git-path", "index",
                             "HEAD")
        self.changed = _relative(root, changed) if before is not None else None
        if self.changed is not None and len(self.changed) > FEW_PATHS:
            self.changed = None   # asking about each of many paths is slower than asking about all
        self.before = before if self.changed is not None else None
        # with answers from before, only the changed paths are asked about, at once too: it is the
        # answer needed unless HEAD or the index moved (then every file is asked about, after)
        self.status = _status(root, SOURCES) if self.before is None else \
            _status(root, [f":(literal){path}" for path in sorted(self.changed)]) if self.changed else None
        self.found: GitAnswers | None = None
        self.asked = False
        self.known: dict[str, dict[str, dt.date]] = {}

    def answers(self) -> GitAnswers | None:
        """What git answered (waiting for it), for the next rebuild in watch mode, if it answered."""
        if not self.asked:
            self.asked, self.found = True, self._answers()
        return self.found

    def dates(self, zone: str) -> dict[str, dt.date]:
        self.answers()
        if zone not in self.known:
            self.known[zone] = {} if self.found is None else _dates(self.root, self.found, zone)
        return self.known[zone]

    def _answers(self) -> GitAnswers | None:
        found = _finished(self.head)
        if found is None or found.count("\n") < 4:
            self.close()
            return None   # not a repository, or one without commits
        shallow, prefix, index, head = found.split("\n")[:4]
        try:
            info = os.stat(self.root / index)
            index_stat = (info.st_ino, info.st_size, info.st_mtime_ns)
        except OSError:
            index_stat = ()
        answer = "\n".join((shallow, prefix, head))
        before = self.before
        if before is not None and (before.head, before.index) == (answer, index_stat) and index_stat:
            status = _finished(self.status) if self.changed else ""
            kept = frozenset(path for path in before.dirty   # a changed folder: all in it is asked about
                             if not any(path == changed or path.startswith(changed + "/") for changed in self.changed))
        else:
            every = self.status
            if before is not None:   # the status started was about the changed paths only: not enough now
                every = _status(self.root, SOURCES)
                _finished(self.status)
            status = _finished(every)
            kept = frozenset()
        if status is None:
            return None
        dirty = set(kept)
        for entry in status.split("\0"):
            if len(entry) > 3:
                path = entry[3:]
                dirty.add(path[len(prefix):] if path.startswith(prefix) else path)
        return GitAnswers(answer, index_stat, frozenset(dirty))

    def close(self) -> None:
        """Wait for the commands whose answers are not needed (not a repository): none is left
        running, and none is killed halfway through its work."""
        for process in (self.head, self.status):
            if process is not None and process.returncode is None:
                _finished(process)


def _status(root: Path, paths) -> subprocess.Popen | None:
    return _started(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", *paths)


def _relative(root: Path, changed) -> frozenset[str] | None:
    """The changed paths relative to the guide ('/'-separated), or None if one is outside it or unknown."""
    if changed is None:
        return None
    tops = (Path(os.path.abspath(root)), root.resolve())
    found = set()
    for path in changed:
        path = Path(os.path.abspath(path))   # a link's own path, not where it leads
        inside = [path.relative_to(top).as_posix() for top in tops if top == path or top in path.parents]
        if not inside:
            return None
        found.add(inside[0])
    return frozenset(found)


def _dates(root: Path, found: GitAnswers, zone: str) -> dict[str, dt.date]:
    shallow, _, head = found.head.split("\n")
    if shallow != "false":
        return {}
    try:
        dates = _commit_dates(str(root), head, zone)
    except _GitFailed:
        return {}
    return {path: day for path, day in dates.items() if path not in found.dirty}


@functools.lru_cache(maxsize=8)
def _commit_dates(root: str, head: str, zone: str) -> dict[str, dt.date]:
    """Path -> date of the last commit touching it, in the history up to `head`: the same for the
    same commit, so watch mode reads the log once per commit (its text is long in an old guide)."""
    log = _git(Path(root), "log", "--format=@%cI", "--name-only", "--no-renames", "--relative", "-z", head,
               "--", *SOURCES)
    if log is None:
        raise _GitFailed(head)   # not cached: a failure (a timeout, say) must not stick to this commit
    dates: dict[str, dt.date] = {}
    when = None
    for token in log.split("\0"):
        for part in token.split("\n"):
            part = part.strip()
            if part.startswith("@"):
                when = dt.datetime.fromisoformat(part[1:]).astimezone(ZoneInfo(zone)).date()
            elif part and when is not None and part not in dates:
                dates[part] = when
    return dates


def _git(root: Path, *args: str) -> str | None:
    """The output of a git command in the guide's own repository, or None if it failed."""
    return _finished(_started(root, *args))


def _started(root: Path, *args: str) -> subprocess.Popen | None:
    """A git command started in the guide's own repository (None: git could not start)."""
    # whatever repository a calling hook or tool points git at; and never git's index lock, which
    # `status` takes to refresh the index: an editor's commit meanwhile would fail on it
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")} | {"LC_ALL": "C",
                                                                                     "GIT_OPTIONAL_LOCKS": "0"}
    try:
        return subprocess.Popen(["git", "-C", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                stdin=subprocess.DEVNULL, text=True, encoding="utf-8", env=environment)
    except (OSError, subprocess.SubprocessError):
        return None


def _finished(process: subprocess.Popen | None) -> str | None:
    """The output of a started git command, or None if it failed (or took over a minute)."""
    if process is None:
        return None
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.SubprocessError:
        process.kill()
        process.communicate()
        return None
    return output if process.returncode == 0 else None


@dataclass(frozen=True)
class Update:
    """One entry of the updates page and the feed: an editor's change note on a page, or a
    stage of the schedule that started that day (`stage`; then `page` is None)."""
    date: dt.date
    note: str
    page: Page | None
    number: int        # position among the page's notes of that date, for a stable id
    stage: Stage | None = None


@dataclass
class History:
    """The git dates of the guide's files. A `recording` collects the paths whose dates were
    looked at while it is open: the cache (cache.py) keys each rendering by those dates only.
    Recordings nest (a rendering inside a worker's task): a read is noted in each open one."""
    last_commit: dict[str, dt.date]
    _open: list[set[str]] = field(default_factory=list, compare=False, repr=False)

    @contextlib.contextmanager
    def recording(self):
        """The paths whose dates were read while the block runs."""
        reads: set[str] = set()
        self._open.append(reads)
        try:
            yield reads
        finally:
            self._open.pop()

    def note(self, paths) -> None:
        for reads in self._open:
            reads.update(paths)

    def dates(self, paths) -> tuple[str, ...]:
        """`path=date` (or `path=-` when unknown) of each path, sorted: for cache keys."""
        return tuple(f"{path}={self.last_commit[path].isoformat() if path in self.last_commit else '-'}"
                     for path in sorted(paths))

    def last_commit_of(self, path: str) -> dt.date | None:
        """The date of the last commit touching `path` (None: unknown), noted as read."""
        self.note((path,))
        return self.last_commit.get(path)

    def updated(self, inputs: tuple[str, ...], page: Page | None, since: dt.date | None) -> dt.date | None:
        """When an output last changed: `updated:`, else its sources' last commit (all must be
        known); for outputs that follow the clock, no earlier than the last change of time."""
        if page is not None and page.updated is not None:
            return page.updated
        self.note(inputs)
        if not inputs or any(path not in self.last_commit for path in inputs):
            return None
        day = max(self.last_commit[path] for path in inputs)
        return max(day, since) if since is not None else day


def updates(guide: Guide, today: dt.date) -> tuple[Update, ...]:
    """Every published change note and every stage started by `today`, newest first; on one
    day the stages first (in the schedule's order), then the notes by page address."""
    found = [Update(stage.start, stage.description, None, number, stage)
             for number, stage in enumerate(guide.stages) if stage.start <= today]
    for page in guide.pages:
        counted: dict[dt.date, int] = {}
        for change in sorted(page.changes, key=lambda c: c.date):
            counted[change.date] = counted.get(change.date, 0) + 1
            found.append(Update(change.date, change.note, page, counted[change.date]))
    return tuple(sorted(found, key=lambda u: (-u.date.toordinal(), u.page is not None,
                                              u.page.slug if u.page else "", u.number)))
