"""Pagefind's process: started directly, waited for without oversleeping, stopped when cancelled."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sites import NOW, REPO, run_build, tree_bytes

from panduan import search
from panduan.problems import ContentError

PAGE = b'<!doctype html><html lang="id"><body><main data-pagefind-body><p>Pemungutan suara</p></main></body></html>'


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
        [f"search index: Pagefind failed: no output\n   hint: {search.HINT}"]


@pytest.mark.parametrize("cancelled", [None, lambda: False])
def test_the_exit_code_comes_when_the_process_ends(cancelled):
    process = subprocess.Popen([sys.executable, "-c", "import sys, time; time.sleep(0.2); sys.exit(3)"])
    assert search._wait(process, cancelled) == 3


def test_a_cancelled_wait_returns_while_the_process_still_runs():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    looks = []
    try:
        assert search._wait(process, lambda: looks.append(1) or len(looks) > 2) is None
        assert process.poll() is None
    finally:
        process.kill()
        process.wait()


def test_a_failing_index_leaves_the_last_site_and_no_half_written_one(mini, tmp_path):
    """The site is written while Pagefind works (builder.build): if Pagefind then fails, the
    folder being written is removed and the last site stays as it was; and when build.py has
    exited, so are the pages copied for Pagefind (a daemon thread removed them, and the exit
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
        f"1. search index: Pagefind failed: no output\n   hint: {search.HINT}\n"
    assert tree_bytes(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mini", "scratch", "site"]
    assert list(scratch.iterdir()) == []
