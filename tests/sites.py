"""Small guides in temp folders, built the way an editor builds them."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
    """Run build.py as an editor would, in `root` (without progress lines: tests/test_progress.py has them)."""
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--quiet", *args], cwd=root,
                          capture_output=True, text=True, timeout=120)


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
