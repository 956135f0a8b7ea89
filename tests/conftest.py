"""Fixtures shared by every test folder."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sites import FIXTURES, NOW, assemble  # noqa: E402


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """The small fixture guide, ready to build."""
    return assemble(tmp_path / "mini", FIXTURES / "mini")


@pytest.fixture
def now() -> dt.datetime:
    return dt.datetime.fromisoformat(NOW)
