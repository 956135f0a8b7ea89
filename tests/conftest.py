"""Fixtures shared by every test folder."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sites import FIXTURES, NOW, REPO, assemble, run_build  # noqa: E402

from panduan.cache import Memo, NullMemo  # noqa: E402
from panduan.render import TemplateBytecode  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def templates_compiled_once_per_guide_folder():
    """In-process builds share compiled templates, as a watch session's builds do, instead of
    compiling every template in every build (a clean build of the mini guide: 230 -> 65 ms).
    Jinja keys a compiled template by its name and file and checks it against the source's
    checksum, so an edited template is compiled again and no output changes, only the time.
    Builds run as `build.py` compile afresh."""
    shared = TemplateBytecode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(NullMemo, "bytecode", shared)
        patch.setattr(Memo, "bytecode", property(lambda memo: shared))
        yield


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """The small fixture guide, ready to build."""
    return assemble(tmp_path / "mini", FIXTURES / "mini")


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime.fromisoformat(NOW)


@pytest.fixture(scope="session")
def default_site(tmp_path_factory) -> Path:
    """The default guide built once, strictly, as of NOW: read it, never change it."""
    out = tmp_path_factory.mktemp("default") / "site"
    result = run_build(REPO, "--out", str(out), "--now", NOW, "--strict")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def voting_day_site(tmp_path_factory) -> Path:
    """The default guide built once, strictly, on voting day (09:00 WIB): read it, never change it."""
    out = tmp_path_factory.mktemp("voting-day") / "site"
    result = run_build(REPO, "--out", str(out), "--now", "2024-02-14T09:00+07:00", "--strict")
    assert result.returncode == 0, result.stderr
    return out
