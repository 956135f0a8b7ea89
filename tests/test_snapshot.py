"""The snapshot a build reads its files from (panduan/snapshot.py): one listing, one reading of each file."""
from __future__ import annotations

import pytest

from live import moment
from sites import FIXTURES, assemble, commit_all

from panduan import snapshot as snapshot_module
from panduan.snapshot import Snapshot
from panduan.sourcefiles import SourceRefused
from panduan.watch import Session


def test_a_file_is_read_once_and_nothing_is_read_that_the_listing_lacks(mini):
    snapshot = Snapshot(mini)
    page = mini / "content/pages/tentang.md"
    first = snapshot.read("content/pages/tentang.md")
    page.write_text("---\ntitle: Lain\n---\n", encoding="utf-8")
    assert snapshot.read("content/pages/tentang.md") == first
    assert "content/pages/tentang.md" in snapshot.paths   # the listing is taken here
    (mini / "content/pages/baru.md").write_text("---\ntitle: Baru\n---\n", encoding="utf-8")
    assert not snapshot.exists("content/pages/baru.md")
    with pytest.raises(SourceRefused, match="did not exist when the build began"):
        snapshot.read("content/pages/baru.md")
    assert Snapshot(mini).read("content/pages/baru.md").startswith(b"---\ntitle: Baru")


def test_a_save_in_watch_mode_reads_that_file_and_lists_nothing(tmp_path, monkeypatch):
    """Listing every path of a guide of thousands of pages would cost a body edit more than its
    whole rebuild (bench/README.md): the rebuild told which file changed reads that one only."""
    root = commit_all(assemble(tmp_path / "guide", FIXTURES / "mini"))
    session = Session(root, tmp_path / "out", moment)
    assert session.rebuild().ok
    listings = []
    listing = snapshot_module.source_listing
    monkeypatch.setattr(snapshot_module, "source_listing", lambda root: listings.append(root) or listing(root))
    page = root / "content/pages/tentang.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nDiperbarui.\n", encoding="utf-8")
    outcome = session.rebuild({page})
    assert outcome.ok, outcome.problems
    assert "Diperbarui." in (tmp_path / "out/tentang/index.html").read_text(encoding="utf-8")
    assert listings == []
