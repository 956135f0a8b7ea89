"""Pagefind's service: started directly, given the pages in the order of their names, stopped when
cancelled or too slow, and every way it can fail a problem for the editor."""
from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from sites import NOW, REPO, run_build, tree_bytes

from panduan import search
from panduan.problems import ContentError

PAGE = b'<!doctype html><html lang="id"><body><main data-pagefind-body><p>Pemungutan suara</p></main></body></html>'
MANY = {f"{slug}/index.html": f"Pemungutan suara {slug} {number}"
        for number, slug in enumerate(["jadwal", "partai", "capres", "hoaks", "lapor", "tps", "dpt", "golput"])}


@pytest.fixture
def lookup():
    """Pagefind looked up afresh in the test and again after it."""
    search._pagefind.cache_clear()
    yield
    search._pagefind.cache_clear()


def test_the_wheels_binary_is_started_directly_and_indexes(lookup):
    command = search._pagefind()
    assert len(command) == 1 and command[0].endswith("pagefind"), command
    found = search.search_files({"index.html": PAGE, "jadwal/index.html": PAGE}, cancelled=lambda: False)
    assert "pagefind/pagefind.js" in found and "pagefind/pagefind-entry.json" in found


def test_a_binary_chosen_by_pagefind_binary_path_is_honoured(lookup, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    assert search._pagefind() == (sys.executable, "-m", "pagefind")
    with pytest.raises(ContentError) as raised:
        search.search_files({"index.html": PAGE})
    assert [str(problem) for problem in raised.value.problems] == \
        [f"search index: Pagefind failed: no output (exit status 1)\n   hint: {search.HINT}"]


def test_the_index_is_a_function_of_the_pages_not_of_their_order():
    """Pagefind numbers pages in the order it is given them, and the index shows that order: its
    command line took a folder's listing order, so the same pages gave another index on tmpfs
    than on ext4 (and on ext4, another one on each file system). The service is given them in
    the order of their names."""
    pages = {name: PAGE.replace(b"Pemungutan suara", text.encode()) for name, text in MANY.items()}
    forward = search.search_files(pages)
    assert search.search_files(dict(reversed(pages.items()))) == forward
    names = sorted(pages, reverse=True)
    backward = search._index(search._converse(search._requests(names, pages), len(names) + 2, None), names)
    assert backward != forward, "the order should matter to Pagefind"


@pytest.fixture
def started(monkeypatch):
    """The processes search.py starts, to look at afterwards."""
    processes = []
    start = subprocess.Popen

    def recorded(*args, **kwargs):
        processes.append(start(*args, **kwargs))
        return processes[-1]

    monkeypatch.setattr(subprocess, "Popen", recorded)
    return processes


def test_cancelling_stops_pagefind_at_once(started, monkeypatch):
    """A Pagefind that is still working (here: not even reading, with more pages sent than a pipe
    holds) is stopped as soon as the index is no longer wanted."""
    monkeypatch.setattr(search, "_pagefind", lambda: (sys.executable, "-c", "import time; time.sleep(60)"))
    pages = {f"{number}/index.html": PAGE * 100 for number in range(10)}
    looks = []
    begun = time.monotonic()
    assert search.search_files(pages, cancelled=lambda: looks.append(1) or len(looks) > 2) is None
    assert time.monotonic() - begun < 5
    assert len(looks) == 3 and [process.poll() for process in started] == [-signal.SIGKILL]


def test_a_pagefind_that_never_finishes_is_stopped_with_a_problem(started, monkeypatch):
    monkeypatch.setattr(search, "_pagefind", lambda: (sys.executable, "-c", "import time; time.sleep(60)"))
    monkeypatch.setattr(search, "TIMEOUT", 0.3)
    with pytest.raises(ContentError) as raised:
        search.search_files({"index.html": PAGE})
    assert [str(problem) for problem in raised.value.problems] == \
        [f"search index: Pagefind did not finish the index within 0.3 s\n   hint: {search.HINT}"]
    assert [process.poll() for process in started] == [-signal.SIGKILL]


PANIC = """thread 'main' panicked at pagefind/src/service/mod.rs:120:18:
Requested index should exist
stack backtrace:
   0: rust_begin_unwind
note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.
"""


def _answering(*answers: bytes) -> str:
    """A Pagefind that gives `answers` (JSON), and exits when its input ends."""
    said = b"".join(base64.b64encode(answer) + b"," for answer in answers)
    return f"import sys\nsys.stdout.buffer.write({said!r})\nsys.stdout.flush()\nsys.stdin.buffer.read()\n"


NEW = b'{"message_id": 1, "payload": {"type": "NewIndex", "index_id": 0}}'
ADDED = b'{"message_id": 2, "payload": {"type": "IndexedFile", "page_word_count": 2, "page_url": "/", "page_meta": {}}}'


def _index_of(*files: tuple[str, bytes]) -> bytes:
    listed = [{"path": path, "content": base64.b64encode(data).decode()} for path, data in files]
    return json.dumps({"message_id": 3, "payload": {"type": "GetFiles", "files": listed}}).encode()


@pytest.mark.parametrize("program, detail", [
    (f"import sys; sys.stderr.write({PANIC!r}); sys.exit(101)", "Requested index should exist (exit status 101)"),
    (_answering(b"nonsense", b"nonsense", b"nonsense"), "an answer could not be read (JSONDecodeError)"),
    (_answering(NEW, NEW, NEW), "an answer could not be read (KeyError)"),
    (_answering(NEW, b'{"message_id": 2, "payload": {"type": "Error", "message": "Failed to add file"}}', NEW),
     "Failed to add file on index.html"),
    (_answering(NEW, ADDED, _index_of(("pagefind.js", b""), ("../index.html", b"<p>ganti</p>"))),
     "its index has a file outside its folder ('../index.html')"),
    (_answering(NEW, ADDED, _index_of(("pagefind.js", b""))), "its index has no pagefind.js or no pagefind-entry.json"),
    (_answering(NEW, ADDED, _index_of(("pagefind.js", b""), ("pagefind-entry.json", b"{"))),
     "an answer could not be read (JSONDecodeError)"),
], ids=["panics", "nonsense", "no-files", "refuses-a-page", "outside", "no-entry", "entry-not-json"])
def test_a_pagefind_that_fails_is_a_problem_naming_what_it_said(started, monkeypatch, program, detail):
    monkeypatch.setattr(search, "_pagefind", lambda: (sys.executable, "-c", program))
    with pytest.raises(ContentError) as raised:
        search.search_files({"index.html": PAGE})
    assert [str(problem) for problem in raised.value.problems] == \
        [f"search index: Pagefind failed: {detail}\n   hint: {search.HINT}"]
    assert [process.poll() is not None for process in started] == [True]


def test_a_wrappers_child_is_stopped_with_it(started, monkeypatch):
    """PAGEFIND_BINARY_PATH, or npm's launcher, may start Pagefind as a child that holds the pipes:
    stopping only the wrapper left the build waiting for as long as the child ran."""
    monkeypatch.setattr(search, "_pagefind", lambda: ("/bin/sh", "-c", "sleep 60; exit 0"))
    begun = time.monotonic()
    assert search.search_files({"index.html": PAGE}, cancelled=lambda: time.monotonic() - begun > 0.2) is None
    assert time.monotonic() - begun < 3
    assert started[0].poll() == -signal.SIGKILL
    while time.monotonic() - begun < 10:   # the child too, once init has reaped it
        try:
            os.killpg(started[0].pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the wrapper's child still runs")


def test_a_fault_while_sending_is_raised_at_once_and_stops_pagefind(started, monkeypatch):
    """A fault of the engine's own (here: in making the second request) is not a Pagefind that
    never answers: it is raised as it is, at once."""
    def requests(pages, files):
        yield search._request(1, {"type": "NewIndex", "config": None})
        raise RuntimeError("broken request")

    monkeypatch.setattr(search, "_requests", requests)
    begun = time.monotonic()
    with pytest.raises(RuntimeError, match="broken request"):
        search.search_files({"index.html": PAGE})
    assert time.monotonic() - begun < 3
    assert [process.poll() is not None for process in started] == [True]


def test_a_page_that_is_not_utf8_is_named_and_pagefind_never_starts(started):
    with pytest.raises(ContentError) as raised:
        search.search_files({"index.html": PAGE, "jadwal/index.html": b"<p>Pemilu \xe9</p>"})
    assert [str(problem) for problem in raised.value.problems] == \
        ["jadwal/index.html: this page is not UTF-8 (invalid continuation byte at byte 10), "
         "so it cannot be indexed for search"]
    assert started == []


def test_a_failing_index_leaves_the_last_site_and_no_half_written_one(mini, tmp_path):
    """The site is written while Pagefind works (builder.build): if Pagefind then fails, the
    folder being written is removed and the last site stays as it was; and when build.py has
    exited, nothing of the build is left in the temporary folder, even where deleting is slow
    (when Pagefind read a copy of the pages there, a daemon thread removed it, and the exit
    stopped it halfway: each run of the suite left ~5 such folders in /tmp)."""
    out, scratch = tmp_path / "site", tmp_path / "scratch"
    assert run_build(mini, "--out", str(out), "--now", NOW).returncode == 0
    before = tree_bytes(out)
    scratch.mkdir()
    # build.py in a new Python whose deleting takes its time, as on a slow disk or with thousands of pages
    slow_disk = ("import runpy, shutil, sys, time\n"
                 "remove = shutil.rmtree\n"
                 "shutil.rmtree = lambda *args, **options: (time.sleep(0.5), remove(*args, **options))\n"
                 "sys.argv = sys.argv[1:]\n"
                 "runpy.run_path(sys.argv[0], run_name='__main__')\n")
    failing = subprocess.run([sys.executable, "-c", slow_disk, str(REPO / "build.py"), "--quiet", "--no-cache",
                              "--out", str(out), "--now", NOW], cwd=mini, capture_output=True, text=True, timeout=120,
                             env={**os.environ, "PAGEFIND_BINARY_PATH": "/bin/false", "TMPDIR": str(scratch)})
    assert failing.returncode == 1
    assert failing.stderr == "The guide was not built: 1 problem to fix.\n" \
        f"1. search index: Pagefind failed: no output (exit status 1)\n   hint: {search.HINT}\n"
    assert tree_bytes(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mini", "scratch", "site"]
    assert list(scratch.iterdir()) == []
