"""`--out` can only ever replace an earlier build, and the swap leaves no moment without a site.

A build replaces its output folder whole, so pointing it at the guide, at a
source folder, at someone's documents or through a symbolic link must be
refused before anything is written (exit 2), for build, watch and serve alike.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from panduan import write
from sites import NOW, run_build, tree_bytes


def everything(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*")) if not p.is_symlink()}


REFUSED = [
    (".", "{root} is the guide's folder or contains it; a build replaces its output folder whole: "
          "use a folder of its own, e.g. _site"),
    ("..", "{parent} is the guide's folder or contains it; a build replaces its output folder whole: "
           "use a folder of its own, e.g. _site"),
    ("content", "{root}/content is inside the guide's content/ folder; use a folder of its own, e.g. _site"),
    ("content/pages", "{root}/content/pages is inside the guide's content/ folder; use a folder of its own, e.g. _site"),
    ("templates", "{root}/templates is inside the guide's templates/ folder; use a folder of its own, e.g. _site"),
    ("guide.yaml", "{root}/guide.yaml is the guide's settings file; use a folder, e.g. _site"),
    ("../docs", "{parent}/docs is not empty and is not an earlier build of this guide (it has no .panduan-site "
                "file); a build replaces its output folder whole: give an empty or new folder, or move that "
                "folder's files away yourself"),
    ("../notes.txt", "{parent}/notes.txt exists and is not a folder; give a folder for the site"),
]


@pytest.mark.parametrize("command", ["build", "watch", "serve"])
@pytest.mark.parametrize("out, message", REFUSED, ids=[case[0] for case in REFUSED])
def test_an_output_folder_that_is_not_a_build_is_refused(mini, command, out, message):
    (mini.parent / "docs").mkdir()
    (mini.parent / "docs" / "thesis.txt").write_text("years of work")
    (mini.parent / "notes.txt").write_text("notes")
    before = everything(mini.parent)
    result = run_build(mini, command, "--out", out, "--now", NOW, "--port", "0")
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr == "build.py: --out " + message.format(root=mini, parent=mini.parent) + "\n"
    assert everything(mini.parent) == before


@pytest.mark.parametrize("command", ["build", "watch"])
def test_a_symlinked_output_folder_is_never_followed(mini, tmp_path, command):
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    (mini / "_site").symlink_to(target)
    result = run_build(mini, command, "--now", NOW)
    assert result.returncode == 2
    assert result.stderr == (f"build.py: --out {mini}/_site is a symbolic link; a build never writes through "
                             "one: give the folder it points to, or a new folder\n")
    assert tree_bytes(target) == {"keep.txt": b"mine"}


def test_an_earlier_build_or_an_empty_folder_is_replaced(mini, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_build(mini, "--out", str(empty), "--now", NOW).returncode == 0
    assert (empty / write.MARKER).read_bytes() == write.MARKER_TEXT
    (empty / "stale.html").write_text("old")
    assert run_build(mini, "--out", str(empty), "--now", NOW, "--no-cache").returncode == 0
    assert not (empty / "stale.html").exists()


def test_a_build_from_before_the_marker_is_replaced(mini, tmp_path):
    out = tmp_path / "site"
    assert run_build(mini, "--out", str(out), "--now", NOW).returncode == 0
    (out / write.MARKER).unlink()
    assert run_build(mini, "--out", str(out), "--now", NOW, "--no-cache").returncode == 0
    assert (out / write.MARKER).is_file()


def test_write_site_itself_refuses_a_foreign_folder(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("a")
    with pytest.raises(write.OutputRefused):
        write.write_site(tmp_path / "docs", {"index.html": b"x"}, ())
    assert tree_bytes(tmp_path / "docs") == {"a.txt": b"a"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]


def test_the_swap_never_leaves_the_output_folder_missing(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write.write_site(out, {"index.html": b"one"}, ())
    renames = []
    real_rename = Path.rename

    def watched(self, target):
        renames.append((self, target))
        result = real_rename(self, target)
        assert out.is_dir(), "the output folder was missing after a rename"
        return result

    monkeypatch.setattr(Path, "rename", watched)
    for generation in range(3):
        write.write_site(out, {"index.html": b"%d" % generation}, ())
        assert (out / "index.html").read_bytes() == b"%d" % generation
    assert renames == [], "the old site was moved aside instead of exchanged"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_folders_left_by_a_killed_build_are_removed(mini):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    alive = str(os.getpid())
    for name in (f"._site.new-{dead}-abc", f"._site.old-{dead}-def", "._site.new-k3j2h1", f"._site.new-{alive}-x"):
        (mini / name).mkdir()
        (mini / name / "index.html").write_text("half")
    assert run_build(mini, "--now", NOW).returncode == 0
    left = sorted(p.name for p in mini.iterdir() if p.name.startswith("._site"))
    assert left == [f"._site.new-{alive}-x"], "a running build's folder was removed, or a dead one's kept"
