"""Search: a static full-text index of the built site, made with Pagefind.

Pagefind (the PyPI package `pagefind[bin]` ships its binary) reads the
written HTML and writes the index and its small loader into /pagefind/; the
search page's script (static/js/search.js) queries it in the browser, so no
server-side component is needed. Only what a template marks
`data-pagefind-body` (the main text of each page) is indexed, per language of
the page's `<html lang>`.

The index is part of the built site like any other file: Pagefind runs as a
service (`pagefind --service`, the protocol of its own Python and Node APIs:
requests and answers are base64 JSON, each ended by a comma), is sent the
rendered pages and answers with the index's files, in memory; so the atomic
write, watch mode's partial updates and the preview server (which answers from
memory) all carry it, and a failed indexing writes nothing. Pagefind's output
is a function of the pages and of the order they are added in, which is the
order of their names; except the order of the languages in pagefind-entry.json
(a hash map in Pagefind): that file is rewritten with sorted keys, so two builds
of one tree give the same bytes, on any machine (tested).

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

import base64
import functools
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import PurePosixPath
from typing import Callable, Iterator

from .plan import SEARCH_INDEX, Plan
from .problems import ContentError, Problem

TIMEOUT = 300   # seconds
POLL = 0.05     # seconds between looks at `cancelled` while Pagefind runs
STOP_WAIT = 5   # seconds Pagefind has to exit once its input ends, before it is killed
HINT = "install it with: python3 -m pip install 'pagefind[bin]' (see pyproject.toml)"
# Pagefind's own interfaces, never loaded by the site (pagefind-ui.js, pagefind-modular-ui.css, ...)
UNUSED = re.compile(r"^pagefind-(?:[a-z]+-)?ui\.(?:js|css)$|^pagefind-highlight\.js$")


def indexed_pages(plan: Plan, files: dict[str, bytes]) -> dict[str, bytes]:
    """The rendered files Pagefind reads: all but the pages shown untranslated."""
    untranslated = {output.file for output in plan.outputs if not output.translated}
    return {name: data for name, data in files.items() if name not in untranslated}


def search_files(files: dict[str, bytes], cancelled: Callable[[], bool] | None = None) -> dict[str, bytes] | None:
    """The search index (site path -> bytes) of the rendered pages in `files`;
    None as soon as `cancelled()` is true (Pagefind is stopped).

    The pages go to Pagefind's service (`pagefind --service`) in the order of their names, so
    the index is a function of the pages: Pagefind's command line indexes a folder in the
    order the file system lists it, which differs between file systems (tmpfs, ext4 and its
    seed), and so did the index of the same pages on two machines."""
    pages = sorted(name for name in files if name.endswith(".html"))
    for name in pages:   # rendered by the engine, so never; but not a 5-minute wait for Pagefind if so
        try:
            files[name].decode("utf-8")
        except UnicodeDecodeError as error:
            raise ContentError([Problem(name, 0, 0, f"this page is not UTF-8 ({error.reason} at byte "
                                        f"{error.start}), so it cannot be indexed for search")]) from None
    answers = _converse(_requests(pages, files), len(pages) + 2, cancelled)
    if answers is None:
        return None
    return _index(answers, pages)


class Indexing:
    """`index(cancelled)` (search_files, or the cache's memo of it) run in a thread, so the build
    goes on while Pagefind works (the thread mostly waits for Pagefind's answers)."""

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


def _requests(pages: list[str], files: dict[str, bytes]) -> Iterator[bytes]:
    """The service's requests, one at a time: a new index, each page of `pages` in their order,
    then the index's files. The first index of a new service is number 0."""
    yield _request(1, {"type": "NewIndex", "config": None})
    for number, name in enumerate(pages, 2):
        yield _request(number, {"type": "AddFile", "index_id": 0, "file_path": name, "url": None,
                                "file_contents": files[name].decode("utf-8")})
    yield _request(len(pages) + 2, {"type": "GetFiles", "index_id": 0})


def _request(number: int, payload: dict) -> bytes:
    """One message to the service: its JSON in base64, ended by a comma."""
    return base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode("utf-8")) + b","


def _converse(requests: Iterator[bytes], expected: int, cancelled: Callable[[], bool] | None) -> list[bytes] | None:
    """Start Pagefind's service, send it `requests` and return its `expected` answers (base64,
    in the order of the requests: it handles one request after another); None as soon as
    `cancelled()` is true. Raises ContentError if Pagefind cannot start, stops early or takes
    longer than TIMEOUT. Pagefind runs in a process group of its own, killed whole when it is
    stopped, so a wrapper's child (PAGEFIND_BINARY_PATH, npm's launcher) does not outlive it.

    One thread writes the requests and one reads the answers, so neither waits for the other
    (Pagefind reads everything it is sent, and answers only as fast as it is read); this one
    looks at `cancelled` and the clock every POLL seconds meanwhile."""
    with tempfile.TemporaryFile() as errors:   # a file, not a pipe: nobody reads it while Pagefind runs
        try:
            process = subprocess.Popen([*_pagefind(), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=errors, start_new_session=hasattr(os, "killpg"))
        except OSError as error:
            raise ContentError([Problem("search index", 0, 0, f"Pagefind could not run: {error}", HINT)]) from None
        answers: list[bytes] = []
        unsent: list[BaseException] = []
        answered = threading.Event()
        writer = threading.Thread(target=_write, args=(process.stdin, requests, unsent), daemon=True)
        reader = threading.Thread(target=_read, args=(process.stdout, answers, expected, answered), daemon=True)
        try:
            writer.start()
            reader.start()
            deadline = time.monotonic() + TIMEOUT
            while not answered.wait(POLL):
                if cancelled is not None and cancelled():
                    return None
                if time.monotonic() > deadline:
                    raise ContentError([Problem("search index", 0, 0,
                                                f"Pagefind did not finish the index within {TIMEOUT} s", HINT)])
        finally:
            if not answered.is_set():   # cancelled or too slow: stopped now, its pipes close
                _kill(process)
            elif len(answers) == expected:   # it has read every request: the writer is done
                writer.join()
                _close(process.stdin)   # the service exits when its input ends
            try:   # else its output ended: it is exiting by itself (coreutils close it first)
                process.wait(STOP_WAIT)
            except subprocess.TimeoutExpired:
                _kill(process)
                process.wait()
            writer.join(STOP_WAIT)
            _close(process.stdin)
            reader.join(STOP_WAIT)
            process.stdout.close()
        if unsent:   # a fault of the engine's own, not Pagefind's
            raise unsent[0]
        if len(answers) < expected:
            errors.seek(0)
            said = _last_words(errors.read().decode("utf-8", "replace"))
            raise _failed(said if process.returncode == 0 else f"{said} ({_ending(process.returncode)})")
    return answers


def _kill(process: subprocess.Popen) -> None:
    """Kill Pagefind and whatever it started (its process group), where the system has groups."""
    if not hasattr(os, "killpg"):
        process.kill()
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)   # its group is its own, and lives while it is unreaped
    except (ProcessLookupError, PermissionError):   # every process of the group has ended
        pass


def _close(pipe) -> None:
    try:
        pipe.close()
    except OSError:   # Pagefind is gone, and what was left to send with it
        pass


def _ending(returncode: int) -> str:
    return f"stopped by signal {-returncode}" if returncode < 0 else f"exit status {returncode}"


def _write(pipe, requests: Iterator[bytes], unsent: list[BaseException]) -> None:
    """Send every request; an error while making one goes into `unsent` and ends Pagefind's input."""
    try:
        for request in requests:
            pipe.write(request)
        pipe.flush()
    except OSError:   # Pagefind stopped, or was stopped: _converse tells why
        pass
    except BaseException as error:
        unsent.append(error)
        _close(pipe)   # Pagefind exits, and the reader with it


def _read(pipe, answers: list[bytes], expected: int, answered: threading.Event) -> None:
    """Collect the first `expected` answers (each ends with a comma) into `answers`, then set `answered`;
    set it too when Pagefind's output ends before."""
    part: list[bytes] = []
    try:
        while len(answers) < expected and (chunk := pipe.read1(1 << 16)):
            *ends, rest = chunk.split(b",")
            for end in ends[:expected - len(answers)]:
                answers.append(b"".join([*part, end]))
                part = []
            part.append(rest)
    except (OSError, ValueError):
        pass
    finally:
        answered.set()


def _index(answers: list[bytes], pages: list[str]) -> dict[str, bytes]:
    """The search index (site path -> bytes) from the service's answers to _requests(pages): for
    a new index, each page, then the index's files. Raises ContentError on an answer that says
    Pagefind failed (naming the page it failed on), or one that cannot be read."""
    folder = SEARCH_INDEX.strip("/")
    try:
        payloads = [json.loads(base64.b64decode(answer, validate=True))["payload"] for answer in answers]
        for number, payload in enumerate(payloads):
            if payload["type"] == "Error":
                about = f" on {pages[number - 1]}" if 0 < number <= len(pages) else ""
                raise _failed(f"{payload.get('message') or 'it gave no reason'}{about}")
        index = {}
        for file in payloads[-1]["files"]:
            name = PurePosixPath(file["path"])
            if name.is_absolute() or ".." in name.parts or "\\" in file["path"]:
                raise _failed(f"its index has a file outside its folder ({file['path']!r})")
            if not UNUSED.match(file["path"]):
                index[f"{folder}/{name}"] = base64.b64decode(file["content"], validate=True)
        entry = f"{folder}/pagefind-entry.json"
        if f"{folder}/pagefind.js" not in index or entry not in index:
            raise _failed("its index has no pagefind.js or no pagefind-entry.json")
        data = json.loads(index[entry])
    except (ValueError, KeyError, TypeError, RecursionError) as error:   # binascii.Error, JSONDecodeError
        raise _failed(f"an answer could not be read ({type(error).__name__})") from None
    index[entry] = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return dict(sorted(index.items()))


def _failed(detail: str) -> ContentError:
    return ContentError([Problem("search index", 0, 0, f"Pagefind failed: {detail}", HINT)])


def _last_words(said: str) -> str:
    """What a Pagefind that stopped early said last, before Rust's advice and backtrace after a panic
    ("thread 'main' panicked at src/service/mod.rs:120:18:", the reason, "note: run with ...")."""
    lines = []
    for line in said.splitlines():
        if line.startswith(("note: run with", "stack backtrace:")):
            break
        if line.strip():
            lines.append(line.strip())
    return lines[-1] if lines else "no output"


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
