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
import subprocess
import sys
import tempfile
import threading
import time
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
    answers = _converse(_requests(pages, files), len(pages) + 2, cancelled)
    if answers is None:
        return None
    index = {}
    for name, data in _files(answers).items():
        if not UNUSED.match(name):
            index[f"{SEARCH_INDEX.strip('/')}/{name}"] = data
    entry = f"{SEARCH_INDEX.strip('/')}/pagefind-entry.json"
    if f"{SEARCH_INDEX.strip('/')}/pagefind.js" not in index or entry not in index:
        raise _failed("its index has no pagefind.js or no pagefind-entry.json")
    data = json.loads(index[entry])
    index[entry] = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return dict(sorted(index.items()))


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
    """Start Pagefind's service, send it `requests` and return its first `expected` answers
    (base64, in the order of the requests: it handles one request after another); None as soon
    as `cancelled()` is true. Raises ContentError if Pagefind cannot start, stops early or
    takes longer than TIMEOUT; Pagefind is never left running.

    One thread writes the requests and one reads the answers, so neither waits for the other
    (Pagefind reads everything it is sent, and answers only as fast as it is read); this one
    looks at `cancelled` and the clock every POLL seconds meanwhile."""
    with tempfile.TemporaryFile() as errors:   # a file, not a pipe: nobody reads it while Pagefind runs
        try:
            process = subprocess.Popen([*_pagefind(), "--service"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=errors)
        except OSError as error:
            raise ContentError([Problem("search index", 0, 0, f"Pagefind could not run: {error}", HINT)]) from None
        answers: list[bytes] = []
        answered = threading.Event()
        writer = threading.Thread(target=_write, args=(process.stdin, requests), daemon=True)
        reader = threading.Thread(target=_read, args=(process.stdout, answers, expected, answered), daemon=True)
        writer.start()
        reader.start()
        deadline = time.monotonic() + TIMEOUT
        try:
            while not answered.wait(POLL):
                if cancelled is not None and cancelled():
                    return None
                if time.monotonic() > deadline:
                    raise ContentError([Problem("search index", 0, 0,
                                                f"Pagefind did not finish the index within {TIMEOUT} s", HINT)])
        finally:
            if len(answers) < expected:
                process.kill()   # cancelled, too slow, or gone already: the writer stops too
            writer.join()
            try:
                process.stdin.close()   # the service exits when its input ends
            except OSError:   # it is gone, and what was left to send with it
                pass
            try:
                process.wait(STOP_WAIT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            reader.join()
            process.stdout.close()
        if len(answers) < expected:
            errors.seek(0)
            raise _failed(_last_words(errors.read().decode("utf-8", "replace")))
    return answers


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


def _write(pipe, requests: Iterator[bytes]) -> None:
    try:
        for request in requests:
            pipe.write(request)
        pipe.flush()
    except (OSError, ValueError):   # Pagefind stopped (or was stopped): the reader tells what it said
        pass


def _read(pipe, answers: list[bytes], expected: int, answered: threading.Event) -> None:
    """Collect the first `expected` answers (each ends with a comma) into `answers`, then set `answered`;
    set it too when Pagefind's output ends before."""
    part: list[bytes] = []
    try:
        while len(answers) < expected and (chunk := pipe.read1(1 << 16)):
            *ends, rest = chunk.split(b",")
            for end in ends:
                answers.append(b"".join([*part, end]))
                part = []
            part.append(rest)
    except (OSError, ValueError):
        pass
    finally:
        answered.set()


def _files(answers: list[bytes]) -> dict[str, bytes]:
    """The index's files (path inside the index -> bytes) from the service's answers; raises
    ContentError on an answer that says Pagefind failed, or one that cannot be read."""
    try:
        payloads = [json.loads(base64.b64decode(answer, validate=True))["payload"] for answer in answers]
        for payload in payloads:
            if payload["type"] == "Error":
                raise _failed(payload.get("message") or "it gave no reason")
        return {file["path"]: base64.b64decode(file["content"], validate=True) for file in payloads[-1]["files"]}
    except (ValueError, KeyError, TypeError) as error:   # binascii.Error and JSONDecodeError are ValueErrors
        raise _failed(f"an answer could not be read ({type(error).__name__})") from None


def _failed(detail: str) -> ContentError:
    return ContentError([Problem("search index", 0, 0, f"Pagefind failed: {detail}", HINT)])


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
