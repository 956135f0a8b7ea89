"""Small guides in temp folders, built the way an editor builds them."""
from __future__ import annotations

import io
import locale
import os
import runpy
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = "2024-01-10T10:00:00+07:00"


def assemble(target: Path, content: Path | None = None) -> Path:
    """A guide in `target`: the repository's templates, interface catalogues
    and static files, and the content of `content` (a folder with guide.yaml
    and content/), or of the default guide when None."""
    content = content or REPO
    shutil.copytree(REPO / "templates", target / "templates")
    shutil.copytree(REPO / "i18n", target / "i18n")
    shutil.copytree(REPO / "static", target / "static")
    shutil.copy(content / "guide.yaml", target / "guide.yaml")
    shutil.copytree(content / "content", target / "content")
    return target


def run_build(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run build.py as an editor would, in `root` (without progress lines: tests/test_progress.py has them).

    The build runs in a process of its own, forked from the test's, which has imported the engine
    already: build.py is its main script, with its own working folder, standard streams and exit
    code, and an uncaught exception prints its traceback and exits with 1 as Python does. Only
    Python's start and the engine's import (about 0.2 s of each of the suite's ~260 builds) are
    not paid again. It shares the test process's hash seed: tests comparing builds across
    processes use run_build_afresh."""
    argv = [str(REPO / "build.py"), "--quiet", *args]
    if not hasattr(os, "fork"):   # Windows
        return run_build_afresh(root, *args, hash_seed=os.environ.get("PYTHONHASHSEED", "random"))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:   # the build; it never returns into pytest
            code = 1
            try:
                code = _child(root, argv, out.fileno(), err.fileno())
            finally:
                os._exit(code)
        status = _wait(pid, timeout=120, argv=argv)
        return subprocess.CompletedProcess(argv, os.waitstatus_to_exitcode(status), _text(out), _text(err))


def run_build_afresh(root: Path, *args: str, hash_seed: str) -> subprocess.CompletedProcess:
    """Run build.py in a new Python whose PYTHONHASHSEED is `hash_seed` ("random" or a number), for
    tests that compare builds made with different string and set hashing."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--quiet", *args], cwd=root,
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONHASHSEED": hash_seed})


def _child(root: Path, argv: list[str], out: int, err: int) -> int:
    """What `python build.py ...` does in `root`, with stdout and stderr going to `out` and `err`."""
    _as_a_new_python()
    null = os.open(os.devnull, os.O_RDONLY)
    for source, target in ((null, 0), (out, 1), (err, 2)):
        os.dup2(source, target)
    encoding = locale.getpreferredencoding(False)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding=encoding)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding=encoding)
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding=encoding,
                                  errors="backslashreplace", line_buffering=True)
    try:
        os.chdir(root)
        sys.argv = argv
        runpy.run_path(argv[0], run_name="__main__")
        code = 0
    except SystemExit as exit:
        if exit.code is None or isinstance(exit.code, int):
            code = exit.code or 0
        else:
            print(exit.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def _as_a_new_python() -> None:
    """Undo what pytest changed in the test process and a new Python does not have: warnings are
    printed to stderr under Python's default filters (pytest records them), and exceptions in
    finalizers and threads go to Python's own hooks."""
    warnings.resetwarnings()
    for category in (ResourceWarning, ImportWarning, PendingDeprecationWarning, DeprecationWarning):
        warnings.simplefilter("ignore", category)   # each goes first: the list ends in Python's order
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    warnings.showwarning = _show_warning
    sys.unraisablehook = sys.__unraisablehook__
    threading.excepthook = threading.__excepthook__


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    (file or sys.stderr).write(warnings.formatwarning(message, category, filename, lineno, line))


def _wait(pid: int, timeout: float, argv: list[str]) -> int:
    """The child's wait status; it is killed after `timeout` seconds, or if the wait is interrupted."""
    deadline = time.monotonic() + timeout
    try:
        try:
            handle = os.pidfd_open(pid)
        except (AttributeError, OSError):   # not Linux, or a kernel without pidfds: polled below
            pass
        else:
            try:
                select.select([handle], [], [], timeout)   # woken when the child ends
            finally:
                os.close(handle)
        while True:
            ended, status = os.waitpid(pid, os.WNOHANG)
            if ended:
                return status
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(argv, timeout)
            time.sleep(0.01)
    except BaseException:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        raise


def _text(file) -> str:
    """A child's output as `subprocess.run(..., text=True)` reads it."""
    file.seek(0)
    return io.TextIOWrapper(file, encoding=locale.getpreferredencoding(False)).read()


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def git(root: Path, *args: str, when: str = "2024-01-05T10:00:00+07:00") -> None:
    """Run git in `root` as an editor whose commits are dated `when`."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def commit_all(root: Path) -> Path:
    """Make `root` a git repository with everything committed (the build's output ignored)."""
    (root / ".gitignore").write_text("_site/\n.cache/\n")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "isi")
    return root
