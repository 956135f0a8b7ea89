"""Search: a static full-text index of the built site, made with Pagefind.

Pagefind (the PyPI package `pagefind[bin]` ships its binary) reads the
written HTML and writes the index and its small loader into /pagefind/; the
search page's script (static/js/search.js) queries it in the browser, so no
server-side component is needed. Only what a template marks
`data-pagefind-body` (the main text of each page) is indexed, per language of
the page's `<html lang>`.

The index is part of the built site like any other file: Pagefind reads the
rendered HTML from a scratch folder and its output is read back, so the
atomic write, watch mode's partial updates and the preview server (which
answers from memory) all carry it, and a failed indexing writes nothing.
Pagefind's output is
a function of the HTML it reads, except the order of the languages in
pagefind-entry.json (a hash map in Pagefind): that file is rewritten with
sorted keys, so two builds of one tree give the same bytes (tested).

A page shown untranslated (an English address showing the Indonesian text) is
not given to Pagefind: its text is indexed once, in its own language, where
its canonical address is (`Plan.canonical`); indexed again under the other
language it would double that language's index with text in another one.

Pagefind also writes its ready-made search interfaces (pagefind-ui.js and .css,
the modular and component UIs) and pagefind-highlight.js, some 400 KB the site
never loads: search.js uses pagefind.js directly. They are left out of the site;
what pagefind.js fetches at run time stays (the entry file, each language's
.pf_meta and wasm, the worker, index/, fragment/ and filter/).
"""
from __future__ import annotations

import functools
import importlib.util
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from .plan import SEARCH_INDEX, Plan
from .problems import ContentError, Problem

TIMEOUT = 300   # seconds
POLL = 0.05     # seconds between looks at `cancelled` while Pagefind runs
CHECK_EVERY = 50   # pages written to the scratch folder between looks at `cancelled`
HINT = "install it with: python3 -m pip install 'pagefind[bin]' (see pyproject.toml)"
# Pagefind's own interfaces, never loaded by the site (pagefind-ui.js, pagefind-modular-ui.css, ...)
UNUSED = re.compile(r"^pagefind-(?:[a-z]+-)?ui\.(?:js|css)$|^pagefind-highlight\.js$")


def indexed_pages(plan: Plan, files: dict[str, bytes]) -> dict[str, bytes]:
    """The rendered files Pagefind reads: all but the pages shown untranslated."""
    untranslated = {output.file for output in plan.outputs if not output.translated}
    return {name: data for name, data in files.items() if name not in untranslated}


def search_files(files: dict[str, bytes], cancelled: Callable[[], bool] | None = None) -> dict[str, bytes] | None:
    """The search index (site path -> bytes) of the rendered pages in `files`;
    None as soon as `cancelled()` is true (Pagefind is stopped)."""
    folder = Path(tempfile.mkdtemp(prefix="panduan-search-"))
    done = False
    try:
        pages = [name for name in files if name.endswith(".html")]
        for number, name in enumerate(pages):
            if cancelled is not None and number % CHECK_EVERY == 0 and cancelled():
                return None
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(files[name])
        if not _run_pagefind(folder, cancelled):
            return None
        index = folder / SEARCH_INDEX.strip("/")
        done = True
        return {path.relative_to(folder).as_posix(): path.read_bytes()
                for path in sorted(index.rglob("*"))
                if path.is_file() and not (path.parent == index and UNUSED.match(path.name))}
    finally:
        if done or cancelled is None:
            shutil.rmtree(folder, ignore_errors=True)
        else:   # an edit is waiting: remove thousands of scratch files without holding it up (not a
            # daemon: Python's exit waits for it, where it killed a daemon halfway, leaving the files)
            threading.Thread(target=shutil.rmtree, args=(folder, True), daemon=False).start()


class Indexing:
    """`index(cancelled)` (search_files, or the cache's memo of it) run in a thread, so the build
    goes on while Pagefind works (the thread mostly waits for Pagefind's process)."""

    def __init__(self, index: Callable[[Callable[[], bool]], dict[str, bytes] | None]):
        self._stop = threading.Event()
        self._found: dict[str, bytes] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(index,), daemon=True)
        self._thread.start()

    def _run(self, index) -> None:
        try:
            self._found = index(self._stop.is_set)
        except BaseException as error:   # raised again in the build's thread, by `result`
            self._error = error

    def result(self) -> dict[str, bytes]:
        """The index (site path -> bytes); raises what indexing raised (ContentError if Pagefind failed)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._found

    def cancel(self) -> None:
        """Stop Pagefind (the build failed) and wait until it has stopped."""
        self._stop.set()
        self._thread.join()


def _run_pagefind(folder: Path, cancelled: Callable[[], bool] | None) -> bool:
    """Write the search index into `folder`; False if cancelled; raises ContentError if Pagefind fails."""
    command = [*_pagefind(), "--site", str(folder), "--output-subdir", SEARCH_INDEX.strip("/"), "--silent"]
    try:
        with tempfile.TemporaryFile() as output:   # a file, not a pipe: nobody reads it while Pagefind runs
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
            try:
                returncode = _wait(process, cancelled)
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            output.seek(0)
            message = output.read().decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ContentError([Problem("search index", 0, 0, f"Pagefind could not run: {error}", HINT)]) from None
    if returncode is None:
        return False
    if returncode != 0 or not (folder / SEARCH_INDEX.strip("/") / "pagefind.js").is_file():
        detail = message.strip().splitlines()[-1:] or ["no output"]
        raise ContentError([Problem("search index", 0, 0, f"Pagefind failed: {detail[0]}", HINT)])
    entry = folder / SEARCH_INDEX.strip("/") / "pagefind-entry.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    return True


@functools.cache
def _pagefind() -> tuple[str, ...]:
    """How to start Pagefind: the binary the `pagefind[bin]` wheel ships, started directly
    (`python -m pagefind` starts Python and imports asyncio only to find it: 0.1-0.2 s per
    index); else, or where PAGEFIND_BINARY_PATH chooses another, Pagefind's own lookup."""
    if os.environ.get("PAGEFIND_BINARY_PATH") is None and importlib.util.find_spec("pagefind_bin_extended") is None:
        try:
            from pagefind_bin import get_executable
            return (str(get_executable()),)
        except (ImportError, OSError):
            pass
    return sys.executable, "-m", "pagefind"


def _wait(process: subprocess.Popen, cancelled: Callable[[], bool] | None) -> int | None:
    """Pagefind's exit code, or None once `cancelled()` is true; raises TimeoutExpired after TIMEOUT.

    Where the system can tell (Linux's pidfd), this wakes up when Pagefind exits; elsewhere
    `Popen.wait` with a timeout looks every few milliseconds and may oversleep by up to POLL."""
    deadline = time.monotonic() + TIMEOUT
    exited = _exit_watch(process)
    try:
        while True:
            if exited is None:
                try:
                    return process.wait(POLL)
                except subprocess.TimeoutExpired:
                    pass
            elif select.select([exited], [], [], POLL)[0]:
                return process.wait()
            if cancelled is not None and cancelled():
                return None
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(process.args, TIMEOUT)
    finally:
        if exited is not None:
            os.close(exited)


def _exit_watch(process: subprocess.Popen) -> int | None:
    """A file descriptor that becomes readable when `process` exits (Linux 5.3 or later), or None."""
    try:
        return os.pidfd_open(process.pid)
    except (AttributeError, OSError):
        return None
