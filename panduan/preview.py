"""Preview: the editor's loop behind `build.py watch` and `build.py serve`.

Build once, then rebuild after every settled change (watch.py) until Ctrl+C;
`serve` also runs the preview server (serve.py). A bad edit prints the
numbered problem list and keeps going: the last good site stays in place.
"""
from __future__ import annotations

import datetime as dt
import signal
import sys
import threading
from pathlib import Path
from typing import Callable

from . import serve
from .store import Store
from .problems import format_problems
from .watch import Changes, Outcome, Session, watch


def announce(outcome: Outcome) -> None:
    if outcome.ok:
        if outcome.warnings:
            print(format_problems(list(outcome.warnings)), file=sys.stderr)
        print(f"built {len(outcome.site)} files ({outcome.rendered} pages rendered, search index follows) "
              f"in {outcome.seconds * 1000:.0f} ms",
              flush=True)
    else:
        print(format_problems(list(outcome.problems)), file=sys.stderr)
        print("the last good site is still in place; save a fix to rebuild", flush=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def run(command: str, root: Path, out: Path, moment: Callable[[], dt.datetime], strict: bool, drafts: bool,
        host: str, port: int, store: Store, cache_dir: Path | None) -> int:
    """Build, then rebuild on every change until Ctrl+C; the first build saves `store` to `cache_dir`."""
    session = Session(root, out, moment, strict=strict, drafts=drafts, store=store)
    server = None
    if command == "serve":
        try:
            server = serve.start(session, host, port)
        except OSError as error:
            print(f"build.py: cannot serve on {host}:{port}: {error.strerror}; try --port", file=sys.stderr)
            return 2
    changes = Changes(root).start()   # before the first build, so no save is missed
    outcome = session.rebuild()
    announce(outcome)
    if outcome.ok and cache_dir is not None:
        store.save(cache_dir)
    if server is not None:
        print(f"previewing at http://{host}:{server.server_address[1]}/ (Ctrl+C to stop)", flush=True)
    print(f"watching {root} for changes", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, _interrupt)   # `kill` stops it as cleanly as Ctrl+C
    try:
        watch(session, changes, announce, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        changes.stop()
        if server is not None:
            server.shutdown()
            server.server_close()
    return 0
