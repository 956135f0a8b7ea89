"""The README's quick start works as written in a fresh clone, with the system's own python3.

It runs the command as a new editor would: in a clone of this commit, with
PATH=/usr/bin:/bin (Debian's python3, "externally managed", no pyenv), so it
makes its own .venv/ and installs the packages from the registry; then it
fetches the home page from the preview server it starts.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from sites import REPO

SETUP_SECONDS = 600   # a fresh .venv: pip downloads and installs every package


def readme_command(heading: str) -> str:
    """The indented command that follows the paragraph under `heading` in README.md."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index(heading):]
    return re.search(r"\n\n    (\S.*)\n", section).group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.skipif(not Path("/usr/bin/python3").is_file(), reason="no system python3")
def test_the_quick_start_serves_the_guide_from_a_fresh_clone(tmp_path):
    command = readme_command("## Quick start")
    assert command == "./run serve", "update this test with the README"
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True, timeout=120)
    assert not (clone / ".venv").exists()
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")
    server = subprocess.Popen(["sh", "-c", f"{command} --port {port}"], cwd=clone, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True,
                              env={"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", str(tmp_path)),
                                   "LANG": "C.UTF-8"})
    try:
        deadline = time.monotonic() + SETUP_SECONDS
        page = None
        while page is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
                    page = response.read().decode("utf-8")
            except OSError:
                time.sleep(1)
        assert page is not None, (tmp_path / "serve.log").read_text(errors="replace")[-3000:]
        assert "<html" in page and "Pemilu" in page
        assert (clone / ".venv/bin/python").is_file()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
