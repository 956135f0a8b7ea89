"""Watch: rebuild the guide whenever an editor saves, for `watch` and `serve`.

A `Session` owns one guide being edited: the store of earlier builds' results, what is on disk in
the output folder, and the outcome of the last build (the last good site, or
the problems of a bad edit). `rebuild(paths)` runs the ordinary build with a
memo over the store (cache.py), told which paths the watcher saw change, so
that it reads only those files again and redoes only what read them; when it
succeeds, only the files that changed are written (write.update_site); when
it fails, the output folder and the last good site stay as they were and the
problems are kept for the preview's overlay.

`Changes` collects file-system events from watchdog. Editors save in bursts
and often by writing a temporary file and renaming it over the original, so
a rebuild starts only once no event has arrived for a short settling time;
editor swap, backup and temporary files never trigger one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .builder import Built, make_site
from .cache import Memo, new_store
from .load import is_editor_litter
from .sourcefiles import SOURCE_FOLDERS
from .problems import ContentError, Problem
from .search import indexed_pages, search_files
from .store import Store
from .write import OutputRefused, update_site

WATCHED_FILES = ("guide.yaml",)
QUIET_EVENTS = ("opened", "closed_no_write")
SETTLE_SECONDS = 0.04
SEARCH_PAUSE = 0.2   # seconds without edits before the search index is remade


@dataclass(frozen=True)
class Outcome:
    """The result of one rebuild, as the preview shows it."""

    generation: int
    site: dict[str, bytes]                         # file name -> bytes of the last good build
    problems: tuple[Problem, ...] = ()             # errors of this build (empty: it succeeded)
    warnings: tuple[Problem, ...] = ()
    seconds: float = 0.0
    rendered: int = 0                              # outputs not reused as they were (builder.Built.rendered)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Session:
    """One guide being edited: builds, writes and remembers the last good site.

    The search index takes seconds at thousands of pages, so a rebuild writes
    the site with the index it has, and `refresh_search` remakes the index
    once edits pause (see `watch`), dropping the work if another edit comes."""

    root: Path
    out: Path
    moment: Callable[[], dt.datetime]
    strict: bool = False
    drafts: bool = False
    store: Store = field(default_factory=new_store)
    outcome: Outcome = field(default_factory=lambda: Outcome(0, {}))
    written: dict[str, bytes] | None = None
    changed: threading.Condition = field(default_factory=threading.Condition)
    built: Built | None = None                     # the last good build
    search: dict[str, bytes] = field(default_factory=dict)   # the search index written with the site
    search_stale: bool = False

    def rebuild(self, paths=()) -> Outcome:
        """Build again after the watcher saw `paths` change (none: look at every file); publish the
        outcome to waiting browsers."""
        started = time.perf_counter()
        previous = self.outcome
        try:
            built = make_site(self.root, self.moment(), self.strict, self.drafts, Memo(self.store, paths or None),
                              search=False)
            self.written = update_site(self.out, built.files | self.search, built.plan.static, self.written)
            if self.built is None:
                _settle_heap()
            self.built, self.search_stale = built, True
        except ContentError as error:
            errors = tuple(p for p in error.problems if not p.warning or self.strict)
            outcome = Outcome(previous.generation + 1, previous.site, errors or tuple(error.problems),
                              seconds=time.perf_counter() - started)
        except Exception as error:   # an engine bug must not end the editor's session
            outcome = Outcome(previous.generation + 1, previous.site, (_engine_failure(error),),
                              seconds=time.perf_counter() - started)
        else:
            outcome = Outcome(previous.generation + 1, self.written, (), tuple(built.warnings),
                              time.perf_counter() - started, built.rendered)
        self._publish(outcome)
        return outcome

    def refresh_search(self, cancelled: Callable[[], bool] = lambda: False) -> bool:
        """Remake the search index of the last good site and write it; False if `cancelled()` stopped it."""
        if self.built is None or not self.search_stale:
            return True
        built = self.built
        try:
            index = Memo(self.store).search(indexed_pages(built.plan, built.files),
                                            functools.partial(search_files, cancelled=cancelled))
            if index is None:
                return False
            self.written = update_site(self.out, built.files | index, built.plan.static, self.written)
        except Exception as error:   # Pagefind missing or failing: show it like a content problem
            problems = tuple(error.problems) if isinstance(error, ContentError) else (_engine_failure(error),)
            self.search_stale = False
            self._publish(Outcome(self.outcome.generation + 1, self.outcome.site, problems))
            return True
        self.search, self.search_stale = index, False
        self._publish(dataclasses.replace(self.outcome, site=self.written))   # same generation: no reload
        return True

    def _publish(self, outcome: Outcome) -> None:
        with self.changed:
            self.outcome = outcome
            self.changed.notify_all()


def _settle_heap() -> None:
    """After the first build: what it keeps for the session (the store, the parsed files, the
    model, every output's results) stays for as long as the session, so Python's collector is
    told to stop looking through it (gc.freeze) once the build's own garbage is collected.
    Otherwise every full collection walks all of it: 0.1-0.2 s pauses inside edits at thousands
    of pages. What later builds make is collected as usual."""
    gc.collect()
    gc.freeze()


def _engine_failure(error: Exception) -> Problem:
    if isinstance(error, OutputRefused):   # the output folder was replaced by something else meanwhile
        return Problem("build.py", 0, 0, str(error), "stop, then start again with --out naming a folder of its own")
    return Problem("build.py", 0, 0, f"the engine failed: {type(error).__name__}: {error}",
                   "run `python build.py --debug` and report the traceback")


class Changes(FileSystemEventHandler):
    """Collects the guide's changed paths from watchdog; `wait()` returns them once edits settle."""

    def __init__(self, root: Path, settle: float = SETTLE_SECONDS):
        super().__init__()
        self.root, self.settle = root.resolve(), settle
        self.pending: set[Path] = set()
        self.last = 0.0
        self.arrived = threading.Condition()
        self.observer = Observer()

    def start(self) -> "Changes":
        self.observer.schedule(self, str(self.root), recursive=False)
        for folder in SOURCE_FOLDERS:
            if (self.root / folder).is_dir():
                self.observer.schedule(self, str(self.root / folder), recursive=True)
        self.observer.start()
        return self

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)
        with self.arrived:
            self.arrived.notify_all()

    def relevant(self, path: Path) -> bool:
        try:
            relative = path.relative_to(self.root)
        except ValueError:
            return False
        if not relative.parts or is_editor_litter(relative.name):
            return False
        return relative.parts[0] in SOURCE_FOLDERS or relative.as_posix() in WATCHED_FILES

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in QUIET_EVENTS or event.is_directory and event.event_type == "modified":
            return   # a folder's "modified" only echoes an event of the file inside it
        paths = [event.src_path, getattr(event, "dest_path", "")]
        found = {Path(p) for p in paths if p and self.relevant(Path(p))}
        if not found:
            return
        with self.arrived:
            self.pending |= found
            self.last = time.monotonic()
            self.arrived.notify_all()

    def has_pending(self) -> bool:
        with self.arrived:
            return bool(self.pending)

    def wait(self, timeout: float | None = None) -> set[Path]:
        """Block until some change has settled (or `timeout`, or stop()); return the changed paths."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.arrived:
            while not self.pending:
                if not self.observer.is_alive():
                    return set()
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return set()
                self.arrived.wait(left if left is not None else 1.0)
            while (quiet := time.monotonic() - self.last) < self.settle:
                self.arrived.wait(self.settle - quiet)
            changed, self.pending = self.pending, set()
            return changed


def watch(session: Session, changes: Changes, announce: Callable[[Outcome], None],
          stop: threading.Event) -> None:
    """Rebuild after every settled change until `stop` is set; remake the search index when edits pause."""
    while not stop.is_set():
        paths = changes.wait(timeout=SEARCH_PAUSE if session.search_stale else 0.5)
        if paths:
            announce(session.rebuild(paths))
        elif session.search_stale:
            session.refresh_search(cancelled=changes.has_pending)
