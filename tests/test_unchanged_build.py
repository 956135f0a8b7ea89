"""A second `build.py` on an unchanged tree leaves the site alone (the outermost stage, cache.py), and only then."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sites import FIXTURES, NOW, assemble, run_build, tree_bytes

from panduan import builder, cache, cli, snapshot, stamps
from panduan.stamps import Stamps

UNCHANGED = "unchanged since the last build, left as it is"


def mtimes(folder: Path) -> dict[str, int]:
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
    before, times = tree_bytes(root / "_site"), mtimes(root / "_site")
    again = run_build(root, "--now", "2024-01-10T11:30:00+07:00")   # later, but the same day: nothing changes
    assert again.returncode == 0, again.stderr
    assert UNCHANGED in again.stdout
    assert again.stderr == first.stderr
    assert again.stdout.splitlines()[1:] == first.stdout.splitlines()[1:]   # the phase and next change
    assert tree_bytes(root / "_site") == before and mtimes(root / "_site") == times


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


SAVES = {   # a file of each kind the build reads, and a save that shows in the site
    "page": ("content/pages/tentang.md", "\nDisimpan saat membangun.\n", b"Disimpan saat membangun"),
    "template": ("templates/base.html", "<!-- disimpan saat membangun -->\n", b"disimpan saat membangun"),
    "static": ("static/js/search.js", "// disimpan saat membangun\n", b"disimpan saat membangun"),
}


@pytest.mark.parametrize("undone", [False, True], ids=["kept", "undone"])
@pytest.mark.parametrize("saved", SAVES)
def test_a_file_saved_while_building_is_in_the_next_build_and_only_there(tmp_path, monkeypatch, capsys, saved, undone):
    """build.py reads every file for its key before building, and builds from those bytes
    (snapshot.py). A file saved once the key is taken is not half in this build: the site is the
    tree the key names, so the next build.py builds the save, or, if the save was undone, rightly
    finds the site unchanged. (When the build read the file from disk again, the save was
    published and, once undone, stayed so: "unchanged".)"""
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    path, addition, mark = SAVES[saved]
    original = (root / path).read_text(encoding="utf-8")
    build = builder.build

    def saved_meanwhile(*args, **kwargs):
        (root / path).write_text(original + addition, encoding="utf-8")
        return build(*args, **kwargs)

    def published() -> bool:
        return any(mark in data for data in tree_bytes(root / "_site").values())

    monkeypatch.setattr(builder, "build", saved_meanwhile)
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert not published()
    monkeypatch.undo()
    if undone:
        (root / path).write_text(original, encoding="utf-8")
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet"]) == 0
    printed = capsys.readouterr()
    assert (UNCHANGED in printed.out) == undone and printed.err == ""
    assert published() != undone
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet", "--no-cache", "--out", str(tmp_path / "clean")]) == 0
    assert tree_bytes(root / "_site") == tree_bytes(tmp_path / "clean")


def same_size_edit_keeping_times(path: Path, old: bytes, new: bytes) -> None:
    """Change `path`'s bytes without changing its size or modification time: only its change time
    (ctime), which no program can set, tells."""
    data, before = path.read_bytes(), path.stat()
    assert len(old) == len(new) and old in data
    path.write_bytes(data.replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns == before.st_mtime_ns


def test_a_file_changed_behind_its_stamp_is_still_seen(tmp_path, monkeypatch):
    """An unchanged build takes each file's digest from its stamp (stamps.py) instead of reading it,
    sources and outputs alike. A change that keeps a file's size and modification time is still
    a change: the source is built again, the output put back."""
    monkeypatch.setattr(stamps, "SETTLED_NS", 0)   # every file has settled: stamped on first sight
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    assert run_build(root, "--now", NOW).returncode == 0
    assert UNCHANGED in run_build(root, "--now", NOW).stdout   # the outputs are stamped now
    page, built = root / "content/pages/tentang.md", root / "_site/tentang/index.html"
    assert b"diperbarui" in page.read_bytes() and b"diperbarui" in built.read_bytes()

    same_size_edit_keeping_times(page, b"diperbarui", b"DIPERBARUI")
    edited = run_build(root, "--now", NOW)
    assert edited.returncode == 0 and UNCHANGED not in edited.stdout
    assert b"DIPERBARUI" in built.read_bytes()
    published = built.read_bytes()

    same_size_edit_keeping_times(built, b"DIPERBARUI", b"diperbarui")
    repaired = run_build(root, "--now", NOW)
    assert repaired.returncode == 0 and UNCHANGED not in repaired.stdout
    assert built.read_bytes() == published
    assert UNCHANGED in run_build(root, "--now", NOW).stdout


@pytest.mark.parametrize("undone", [False, True], ids=["kept", "undone"])
def test_a_file_saved_after_its_stamp_was_trusted_is_built_and_not_remembered(tmp_path, monkeypatch, capsys, undone):
    """The site's key took a page's digest from its stamp, unread; the page was saved before the
    build read it. The build publishes what it read, says so, and is not remembered under the key
    (it was not built from what the key names): the next build builds again, with the save, or,
    if it was undone, without it."""
    monkeypatch.setattr(stamps, "SETTLED_NS", 0)
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet"]) == 0   # every source stamped
    edit_content(root)   # another file: the next build's key is new, so it builds
    path, addition, mark = root / "content/pages/cara-mencoblos.md", "\nDisimpan saat membangun.\n", b"Disimpan saat"
    original = path.read_text(encoding="utf-8")
    build = builder.build

    def saved_meanwhile(*args, **kwargs):
        path.write_text(original + addition, encoding="utf-8")
        return build(*args, **kwargs)

    def published() -> bool:
        return any(mark in data for data in tree_bytes(root / "_site").values())

    capsys.readouterr()
    monkeypatch.setattr(builder, "build", saved_meanwhile)
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet"]) == 0
    printed = capsys.readouterr()
    said = "content/pages/cara-mencoblos.md was saved while the guide was being built; the site shows the text"
    assert said in printed.out and printed.err == ""
    assert published()
    monkeypatch.setattr(builder, "build", build)
    if undone:
        path.write_text(original, encoding="utf-8")
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet"]) == 0
    assert UNCHANGED not in capsys.readouterr().out
    assert published() != undone
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet", "--no-cache", "--out", str(tmp_path / "clean")]) == 0
    assert tree_bytes(root / "_site") == tree_bytes(tmp_path / "clean")


def test_once_stamped_an_unchanged_build_reads_no_file_but_guide_yaml(tmp_path, monkeypatch, capsys):
    """What stamps are for: the third build of an unchanged guide opens no source but guide.yaml
    (read for its time zone) and no output file, and still finds the site unchanged."""
    monkeypatch.setattr(stamps, "SETTLED_NS", 0)
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    for _ in range(2):   # the second stamps what the first wrote
        assert cli.main(["--root", str(root), "--now", NOW, "--quiet"]) == 0
    sources, outputs = [], []
    read_source = snapshot.read_source
    monkeypatch.setattr(snapshot, "read_source", lambda root, relative: sources.append(relative)
                        or read_source(root, relative))
    monkeypatch.setattr(cache, "open", lambda path, *args: outputs.append(path) or open(path, *args), raising=False)
    capsys.readouterr()
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet"]) == 0
    assert UNCHANGED in capsys.readouterr().out
    assert sources == ["guide.yaml"] and outputs == []


def test_a_folder_swapped_while_a_file_is_read_pairs_no_stamp_with_other_bytes(tmp_path, monkeypatch):
    """content/pages/ is replaced by another folder between the look at a page and its read, then
    put back. The stamp taken must be of the file read, or the page's old stamp would carry the
    other folder's bytes for good: the next build would find the site "unchanged" with them."""
    root = assemble(tmp_path / "guide", FIXTURES / "mini")
    assert run_build(root, "--now", NOW).returncode == 0   # nothing has settled: nothing stamped
    monkeypatch.setattr(stamps, "SETTLED_NS", 0)
    pages, other, aside = root / "content/pages", tmp_path / "pages-b", tmp_path / "pages-a"
    shutil.copytree(pages, other)
    (other / "tentang.md").write_text((other / "tentang.md").read_text().replace("diperbarui", "DARI-MAP-LAIN"))
    read_source = snapshot.read_source

    def swapping(root, relative):
        if relative == "content/pages/tentang.md" and not aside.exists():
            pages.rename(aside)
            other.rename(pages)
        return read_source(root, relative)

    monkeypatch.setattr(snapshot, "read_source", swapping)
    assert cli.main(["--root", str(root), "--now", NOW, "--quiet"]) == 0
    monkeypatch.setattr(snapshot, "read_source", read_source)
    pages.rename(other)
    aside.rename(pages)
    assert run_build(root, "--now", NOW).returncode == 0
    assert b"DARI-MAP-LAIN" not in (root / "_site/tentang/index.html").read_bytes()


def test_only_a_settled_file_is_stamped_and_a_damaged_stamp_is_never_trusted(tmp_path):
    """A file written within SETTLED_NS of its stamp could change again within the same tick of the
    file system's clock, keeping its times: it is read again next time. So is a file whose
    stamp before the read is not the one of the file read (a folder renamed meanwhile). A stamp
    from a damaged or hostile cache is never taken for a digest."""
    fresh = tmp_path / "fresh"
    fresh.write_text("baru")
    settled = tmp_path / "settled"
    settled.write_text("lama")
    os.utime(settled, ns=(0, 0))   # its mtime; its ctime is now, so...
    info = settled.stat()
    later = Stamps()
    later.taken = info.st_ctime_ns + stamps.SETTLED_NS + 1   # ...looked at once it had settled
    later.stamp("settled", info, info, "d1")
    later.stamp("other", info, fresh.stat(), "d3")   # lstat of one file, the bytes of another
    now = Stamps()
    now.stamp("fresh", fresh.stat(), fresh.stat(), "d2")
    stamp = [info.st_dev, info.st_ino, info.st_size, 0, info.st_ctime_ns]
    assert later.now == {"settled": [*stamp, "d1"]} and now.now == {}
    assert Stamps(later.now).digest("settled", info) == "d1"
    for damaged in ([*stamp, 1], stamp, [*stamp[:4], "d1"], "d1", None, [*stamp[:4], info.st_ctime_ns + 1, "d1"]):
        assert Stamps(Stamps.decode({"settled": damaged}).remembered).digest("settled", info) is None
