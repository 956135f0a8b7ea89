"""Hostile and unlucky input, one case at a time: the build must refuse it with the
exact message, exit 1, print no traceback, and leave the previous site byte for byte."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from sites import NOW, run_build, tree_bytes


def refused(root: Path, out: Path, spoil: Callable[[Path], object], *args: str) -> str:
    """Build `root` into `out`, `spoil` it, build again: the second build's error output."""
    good = run_build(root, "--out", str(out), "--now", NOW)
    assert good.returncode == 0, good.stderr
    before = tree_bytes(out)
    spoil(root)
    result = run_build(root, "--out", str(out), "--now", NOW, *args)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert tree_bytes(out) == before, "a failed build changed the published site"
    return result.stderr
