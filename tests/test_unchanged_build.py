"""A second `build.py` on an unchanged tree leaves the site alone (the outermost stage, cache.py), and only then."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from sites import FIXTURES, NOW, assemble, run_build, tree_bytes

from panduan import builder, cli

UNCHANGED = "unchanged since the last build, left as it is"


def stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def guide(tmp_path):
    root = assemble(tmp_path / "guide", FIXTURES / "mini")   # the mini guide: the same stages, half the time
    (root / "content/pages/tentang.en.md").unlink()   # a warning, which must be printed every time
    first = run_build(root, "--now", NOW)
    assert first.returncode == 0, first.stderr
    assert "has no English translation" in first.stderr
    return root, first


def test_an_unchanged_tree_is_left_alone_and_reports_the_same(guide):
    root, first = guide
    before, times = tree_bytes(root / "_site"), stamps(root / "_site")
    again = run_build(root, "--now", "2024-01-10T11:30:00+07:00")   # later, but the same day: nothing changes
    assert again.returncode == 0, again.stderr
    assert UNCHANGED in again.stdout
    assert again.stderr == first.stderr
    assert again.stdout.splitlines()[1:] == first.stdout.splitlines()[1:]   # the phase and next change
    assert tree_bytes(root / "_site") == before and stamps(root / "_site") == times


def edit_content(root: Path) -> None:
    page = root / "content/pages/tentang.md"
    page.write_text(page.read_text() + "\nKalimat baru.\n")


def edit_template(root: Path) -> None:
    (root / "templates/page.html").write_text((root / "templates/page.html").read_text() + "\n")


def tamper_output(root: Path) -> None:
    (root / "_site/tentang/index.html").write_text("dirusak")


def delete_output(root: Path) -> None:
    (root / "_site/tentang/index.html").unlink()


def add_output(root: Path) -> None:
    (root / "_site/tambahan.html").write_text("tambahan")


def damage_record(root: Path) -> None:
    (root / ".cache/panduan/site.txt").write_text("{")


@pytest.mark.parametrize("change, args", [
    (edit_content, ()), (edit_template, ()), (tamper_output, ()), (delete_output, ()), (add_output, ()),
    (damage_record, ()), (lambda root: None, ("--now", "2024-01-11T00:00:00+07:00")),   # the next change
    (lambda root: None, ("--drafts",)), (lambda root: None, ("--no-cache",)),
], ids=["content", "template", "output-changed", "output-deleted", "output-added", "damaged-record", "new-day",
        "drafts", "no-cache"])
def test_any_change_builds_again_and_equals_a_clean_build(guide, tmp_path, change, args):
    root, _ = guide
    change(root)
    now = () if "--now" in args else ("--now", NOW)
    again = run_build(root, *now, *args)
    assert again.returncode == 0, again.stderr
    assert UNCHANGED not in again.stdout
    clean = run_build(root, *now, *args, "--no-cache", "--out", str(tmp_path / "clean"))
    assert clean.returncode == 0, clean.stderr
    assert tree_bytes(root / "_site") == tree_bytes(tmp_path / "clean")


def test_a_new_commit_changes_the_dates_and_builds_again(guide):
    root, _ = guide
    git = ["git", "-C", str(root), "-c", "user.name=Uji", "-c", "user.email=uji@example.org"]
    assert os.system(" ".join(git + ["init", "-q"])) == 0
    assert os.system(" ".join(git + ["add", "content", "templates", "static", "i18n", "guide.yaml"])) == 0
    assert os.system(" ".join(git + ["commit", "-qm", "isi"])) == 0
    again = run_build(root, "--now", NOW)
    assert again.returncode == 0 and UNCHANGED not in again.stdout
    assert UNCHANGED in run_build(root, "--now", NOW).stdout


def test_warnings_are_sorted_whichever_stage_found_them(tmp_path):
    """Problems are the sorted union of the stages' problems: a warning found while converting a
    fact check (content/hoaxes/) is listed before one found earlier, while checking translations
    (content/pages/), on the first build and on the next, which replays them."""
    root = assemble(tmp_path / "guide", FIXTURES / "mini")   # the mini guide: the same stages, half the time
    (root / "content/pages/tentang.en.md").unlink()
    hoax = sorted((root / "content/hoaxes").glob("*.md"))[0]
    hoax.write_text(hoax.read_text() + "\n#### Lompat\n")
    for step in ("first", "again"):
        result = run_build(root, "--now", NOW)
        assert result.returncode == 0, result.stderr
        paths = [line.split(" ")[1].split(":")[0] for line in result.stderr.splitlines() if "warning:" in line]
        assert paths[0].startswith("content/hoaxes/") and "content/pages/tentang.md" in paths, (step, paths)
        assert paths == sorted(paths), (step, paths)


def test_a_file_saved_while_building_is_not_taken_for_built(tmp_path, monkeypatch, capsys):
    """The site is remembered under the key of the tree read before the build. A page saved after
    that, but before the build read it, is in the site: it must not be remembered as the build of
    the earlier tree, or undoing the save would leave the saved text published."""
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    page = root / "content/pages/tentang.md"
    original = page.read_text(encoding="utf-8")
    build = builder.build

    def saved_meanwhile(*args, **kwargs):
        page.write_text(original + "\nDisimpan saat membangun.\n", encoding="utf-8")
        return build(*args, **kwargs)

    monkeypatch.setattr(builder, "build", saved_meanwhile)
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet"]) == 0
    assert capsys.readouterr().err == \
        "build.py: a file of the guide changed while it was built; run build.py again to build it\n"
    assert "Disimpan saat membangun" in (root / "_site/tentang/index.html").read_text(encoding="utf-8")
    monkeypatch.undo()
    page.write_text(original, encoding="utf-8")   # the save undone
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet"]) == 0
    printed = capsys.readouterr()
    assert UNCHANGED not in printed.out and printed.err == ""
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet", "--no-cache", "--out", str(tmp_path / "clean")]) == 0
    assert tree_bytes(root / "_site") == tree_bytes(tmp_path / "clean")
