"""Long builds show progress on stderr: a counting line per stage on a terminal, one line per
stage with its time elsewhere (CI), nothing with --quiet."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import sys

import pytest

from sites import FIXTURES, NOW, REPO, assemble

STAGES = ["load", "check", "convert", "render", "link check", "search index", "write"]
LINE = re.compile(r"^(?P<stage>[a-z ]+): (?P<count>\d+) (files|pages|outputs) in \d+\.\d\ds$")


def build_py(root, *args, terminal: bool = False) -> tuple[int, str, str]:
    """Run build.py; stderr to a pseudo-terminal when `terminal`. (exit code, stdout, stderr)"""
    command = [sys.executable, str(REPO / "build.py"), "--now", NOW, "--no-cache", *args]
    if not terminal:
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=follower) as process:
        os.close(follower)
        stdout = process.stdout.read().decode()
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:   # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=120)
    os.close(leader)
    return process.returncode, stdout, b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.fixture
def guide(tmp_path):
    return assemble(tmp_path / "guide", FIXTURES / "mini")


def test_without_a_terminal_each_stage_prints_one_line_with_its_count_and_time(guide):
    code, stdout, stderr = build_py(guide)
    assert code == 0, stderr
    lines = stderr.splitlines()
    assert [LINE.match(line)["stage"] for line in lines] == STAGES, stderr
    assert "\r" not in stderr and "\x1b" not in stderr
    counts = {LINE.match(line)["stage"]: int(LINE.match(line)["count"]) for line in lines}
    assert counts["render"] > 0 and counts["link check"] == int(stdout.split()[0])   # "N pages ... built"


def test_on_a_terminal_each_stage_counts_up_then_ends_in_its_line(guide):
    code, _, stderr = build_py(guide, terminal=True)
    assert code == 0, stderr
    assert "\r" in stderr and "\x1b[K" in stderr
    shown = [re.sub(r"^.*\r", "", line).replace("\x1b[K", "") for line in stderr.split("\n") if line]
    assert [LINE.match(line)["stage"] for line in shown] == STAGES, stderr


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
def test_quiet_prints_no_progress(guide, terminal):
    code, stdout, stderr = build_py(guide, "--quiet", terminal=terminal)
    assert code == 0 and stderr == "" and "pages" in stdout


def test_a_failed_build_prints_its_problems_on_a_clean_line(guide):
    page = guide / "content/pages/tentang.md"
    page.write_text(page.read_text().replace("title:", "titel:", 1))
    code, _, stderr = build_py(guide, terminal=True)
    assert code == 1
    assert "\r\x1b[KThe guide was not built" in stderr, stderr
    code, _, stderr = build_py(guide)
    lines = stderr.splitlines()
    assert code == 1 and LINE.match(lines[0])["stage"] == "load", stderr[:300]   # the stages that finished
    assert lines[1] == "The guide was not built: 1 problem to fix.", stderr[:300]
