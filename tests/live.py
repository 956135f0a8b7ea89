"""A guide being edited in a temp folder, with the real watcher (and server) running."""
from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from pathlib import Path

from panduan import serve
from panduan.builder import build
from panduan.problems import ContentError
from panduan.watch import Changes, Session, watch
from sites import NOW, assemble, tree_bytes


def moment() -> dt.datetime:
    return dt.datetime.fromisoformat(NOW)


def clean_build(root: Path, out: Path, search: bool = True) -> dict[str, bytes] | None:
    """The site a clean build of the tree writes, or None when the tree has problems
    (without `search`: the site without its search index, as watch mode writes it first)."""
    try:
        build(root, out, moment(), search=search)
    except ContentError:
        return None
    return tree_bytes(out)


@contextlib.contextmanager
def previewing(folder: Path):
    """The default guide built in `folder` and served on a free port of 127.0.0.1: (session, port)."""
    session = Session(assemble(folder / "guide"), folder / "out", moment)
    assert session.rebuild().ok
    server = serve.start(session, "127.0.0.1", 0)
    try:
        yield session, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


class Live:
    """Session + watchdog + rebuild loop on a background thread."""

    def __init__(self, root: Path, out: Path):
        self.root, self.out = root, out
        self.session = Session(root, out, moment)
        self.session.rebuild()
        self.session.refresh_search()   # the watcher would, once idle: start from the complete site
        self.changes = Changes(root).start()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=watch, args=(self.session, self.changes, lambda o: None, self.stop),
                                       daemon=True)
        self.thread.start()

    @property
    def generation(self) -> int:
        return self.session.outcome.generation

    def settled(self, before: int, timeout: float = 20.0):
        """Wait until a rebuild after generation `before` happened and no change is pending any more."""
        deadline = time.monotonic() + timeout
        with self.session.changed:
            assert self.session.changed.wait_for(lambda: self.generation > before, timeout), "no rebuild happened"
        while time.monotonic() < deadline:
            seen = self.generation
            time.sleep(0.4)
            with self.changes.arrived:
                pending = bool(self.changes.pending)
            if not pending and self.generation == seen and not self.session.search_stale:
                return self.session.outcome
        raise AssertionError("the watcher never settled")

    def close(self) -> None:
        self.stop.set()
        self.changes.stop()
        self.thread.join(timeout=5)
