"""Deliberately broken guides: each folder in tests/broken/ holds files that replace
the mini guide's, and `expected.txt`, the exact message the editor must see.

The good guide is built once (with its cache, as an editor's last good build
leaves it); each case copies it, lays its files over the copy, builds, and checks that the
build failed with exit code 1, printed exactly the expected problems and no
traceback, and left the previous site byte for byte as it was.
Regenerate the messages after a deliberate wording change (then review the diff):

    PANDUAN_REGENERATE=1 python3 -m pytest tests/test_broken_sites.py
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sites import FIXTURES, NOW, assemble, run_build, tree_bytes

BROKEN = Path(__file__).resolve().parent / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """The mini guide built once: its folder (guide/ with the build's cache, site/) and the site's bytes."""
    folder = tmp_path_factory.mktemp("good")
    root = assemble(folder / "guide", FIXTURES / "mini")
    built = run_build(root, "--out", str(folder / "site"), "--now", NOW)
    assert built.returncode == 0, built.stderr
    return folder, tree_bytes(folder / "site")


@pytest.mark.parametrize("case", CASES)
def test_broken_site_reports_every_problem_and_keeps_old_site(case, tmp_path, good):
    folder, before = good
    root, out = tmp_path / "guide", tmp_path / "site"
    shutil.copytree(folder / "guide", root)
    shutil.copytree(folder / "site", out)

    overlay = BROKEN / case
    for path in sorted(overlay.rglob("*")):
        if path.is_file() and path.name != "expected.txt":
            target = root / path.relative_to(overlay)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)

    broken = run_build(root, "--out", str(out), "--now", NOW)
    expected_file = overlay / "expected.txt"
    if os.environ.get("PANDUAN_REGENERATE"):
        expected_file.write_text(broken.stderr, encoding="utf-8")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "Traceback" not in broken.stderr
    assert broken.stderr == expected_file.read_text(encoding="utf-8")
    assert broken.stdout == ""
    assert tree_bytes(out) == before, "a failed build changed the published site"
    assert sorted(p.name for p in out.parent.iterdir()) == ["guide", "site"], "temporary output left behind"
