"""The small fixture guide, built, must match the stored expected output byte for byte.

After a deliberate change to templates or the engine, regenerate and review the diff:

    PANDUAN_REGENERATE=1 python3 -m pytest tests/test_expected_output.py && git diff tests/expected
"""
from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

from sites import NOW, REPO, run_build, tree_bytes

EXPECTED = Path(__file__).resolve().parent / "expected" / "mini"


def rendered(site: Path) -> dict[str, bytes]:
    """The built files, less those copied unchanged from static/ (compared elsewhere)."""
    static = tree_bytes(REPO / "static")
    return {name: data for name, data in tree_bytes(site).items() if static.get(name) != data}


def test_mini_guide_matches_expected_output(mini, tmp_path):
    out = tmp_path / "site"
    result = run_build(mini, "--out", str(out), "--now", NOW, "--strict")
    assert result.returncode == 0, result.stderr
    built = rendered(out)
    if os.environ.get("PANDUAN_REGENERATE"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for name, data in built.items():
            (EXPECTED / name).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / name).write_bytes(data)
    expected = tree_bytes(EXPECTED)
    assert sorted(built) == sorted(expected), "the set of output files changed"
    for name in sorted(expected):
        if built[name] != expected[name]:
            diff = difflib.unified_diff(expected[name].decode().splitlines(), built[name].decode().splitlines(),
                                        f"expected/{name}", f"built/{name}", lineterm="", n=2)
            raise AssertionError("\n".join(list(diff)[:60]))
