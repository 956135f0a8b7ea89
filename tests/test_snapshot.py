"""The snapshot a build reads its files from (panduan/snapshot.py): one listing, one reading of each file."""
from __future__ import annotations

from pathlib import Path

import pytest

from live import moment
from sites import FIXTURES, NOW, assemble, commit_all, run_build

from panduan import builder, cli, snapshot as snapshot_module, stamps
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


def test_paths_are_relative_to_the_guide_however_its_folder_is_named(mini, monkeypatch):
    monkeypatch.chdir(mini)
    assert "content/pages/tentang.md" in Snapshot(Path(".")).paths
    assert Snapshot(Path(".")).paths == Snapshot(mini).paths


def test_a_file_removed_once_the_key_is_taken_is_built_from_what_was_read(mini, capsys):
    """build.py reads every file for its key; a page deleted after that is still built from the
    snapshot (not a problem "cannot be read"), and the next build, which sees it gone, rebuilds."""
    page = mini / "content/pages/tentang.en.md"
    build = builder.build

    def deleted_meanwhile(*args, **kwargs):
        page.unlink()
        return build(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builder, "build", deleted_meanwhile)
        assert cli.main(["--root", str(mini), "--now", NOW, "--quiet"]) == 0
    assert "cannot be read" not in capsys.readouterr().err
    assert (mini / "_site/en/tentang/index.html").is_file()
    assert cli.main(["--root", str(mini), "--now", NOW, "--quiet"]) == 0
    assert "has no English translation" in capsys.readouterr().err   # built again, without it


def test_a_file_removed_after_the_key_trusted_its_stamp_is_a_problem_that_says_so(mini, capsys, monkeypatch):
    """With stamps (stamps.py) the key takes an unchanged page's digest without reading it. If the
    page is removed before the build reads it, there are no bytes to build from: the build stops,
    says what happened and what to do (not "check the file's permissions"), and leaves the last
    site; the next build, which sees the page gone, succeeds."""
    monkeypatch.setattr(stamps, "SETTLED_NS", 0)
    assert cli.main(["--root", str(mini), "--now", NOW, "--quiet"]) == 0   # every source stamped
    page, other = mini / "content/pages/tentang.en.md", mini / "content/pages/tentang.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nDiperbarui.\n", encoding="utf-8")   # a new key
    before = (mini / "_site/en/tentang/index.html").read_bytes()
    build = builder.build

    def deleted_meanwhile(*args, **kwargs):
        page.unlink()
        return build(*args, **kwargs)

    monkeypatch.setattr(builder, "build", deleted_meanwhile)
    capsys.readouterr()
    assert cli.main(["--root", str(mini), "--now", NOW, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "content/pages/tentang.en.md: was removed while the guide was being built\n   hint: run the build again" \
        in err and "permissions" not in err
    assert (mini / "_site/en/tentang/index.html").read_bytes() == before
    monkeypatch.setattr(builder, "build", build)
    assert cli.main(["--root", str(mini), "--now", NOW, "--quiet"]) == 0
    assert "has no English translation" in capsys.readouterr().err


def test_a_template_that_is_not_utf8_is_a_problem_with_its_line(mini):
    (mini / "templates/base.html").write_bytes((mini / "templates/base.html").read_bytes() + b"\n<p>caf\xe9</p>\n")
    result = run_build(mini, "--now", NOW)
    lines = (mini / "templates/base.html").read_bytes().count(b"\n")
    assert result.returncode == 1, result.stderr
    assert f"templates/base.html:{lines}: is not UTF-8 text" in result.stderr
    assert "Traceback" not in result.stderr
