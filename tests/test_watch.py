"""Watch mode with real watchdog events: after every kind of edit, the output equals a clean build."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from live import Live, clean_build
from sites import assemble, tree_bytes

from panduan.load import is_editor_litter

PAGE = """---
title: {title}
summary: Sebuah halaman baru.
order: {order}
sources: [pkpu-3-2022]
---
{body}
"""


@pytest.fixture
def live(tmp_path):
    root = assemble(tmp_path / "guide")
    session = Live(root, tmp_path / "out")
    assert session.session.outcome.ok, session.session.outcome.problems
    yield session
    session.close()


def edit(live: Live, change) -> None:
    before = live.generation
    change(live.root)
    live.settled(before)


def assert_same_as_clean(live: Live, tmp_path: Path) -> dict[str, bytes]:
    expected = clean_build(live.root, tmp_path / "clean")
    assert expected is not None, "the final tree should build"
    assert live.session.outcome.ok, live.session.outcome.problems
    actual = tree_bytes(live.out)
    assert sorted(actual) == sorted(expected)
    assert actual == expected
    for path in live.out.rglob("*"):
        assert (path.stat().st_mode & 0o777) == (0o755 if path.is_dir() else 0o644), path
    return actual


def test_modify_a_page(live, tmp_path):
    page = live.root / "content/pages/tentang.md"
    edit(live, lambda root: page.write_text(page.read_text().replace("Panduan Pemilu 2024 membantu", "Panduan Pemilu 2024 menolong")))
    site = assert_same_as_clean(live, tmp_path)
    assert "Panduan Pemilu 2024 menolong" in site["tentang/index.html"].decode()


def test_create_a_page_lists_it_everywhere(live, tmp_path):
    # order 0: first in page lists, so within the footer's first twelve pages of the real guide
    new = live.root / "content/pages/baru.md"
    edit(live, lambda root: new.write_text(PAGE.format(title="Halaman Baru", order=0, body="Isi baru.")))
    site = assert_same_as_clean(live, tmp_path)
    assert "Isi baru." in site["baru/index.html"].decode()
    assert "Halaman Baru" in site["cara-mencoblos/index.html"].decode()


def test_delete_a_page_removes_its_files(live, tmp_path):
    new = live.root / "content/pages/baru.md"
    edit(live, lambda root: new.write_text(PAGE.format(title="Halaman Baru", order=30, body="Isi.")))
    assert (live.out / "baru/index.html").exists()
    edit(live, lambda root: new.unlink())
    assert_same_as_clean(live, tmp_path)
    assert not (live.out / "baru").exists()


def test_rename_a_page_moves_it(live, tmp_path):
    new = live.root / "content/pages/baru.md"
    edit(live, lambda root: new.write_text(PAGE.format(title="Halaman Baru", order=30, body="Isi.")))
    edit(live, lambda root: new.rename(root / "content/pages/pindah.md"))
    site = assert_same_as_clean(live, tmp_path)
    assert "pindah/index.html" in site and "baru/index.html" not in site


def test_atomic_save_through_a_temporary_file(live, tmp_path):
    page = live.root / "content/pages/tentang.md"
    temporary = page.with_name(".tentang.md.tmp")

    def save(root):
        temporary.write_text(page.read_text().replace("Panduan Pemilu 2024 membantu", "Panduan Pemilu 2024 mendukung"))
        os.replace(temporary, page)

    edit(live, save)
    site = assert_same_as_clean(live, tmp_path)
    assert "Panduan Pemilu 2024 mendukung" in site["tentang/index.html"].decode()


def test_a_burst_of_saves_settles_into_few_rebuilds(live, tmp_path):
    page = live.root / "content/pages/tentang.md"
    text = page.read_text()
    before = live.generation

    def burst(root):
        for number in range(50):
            page.write_text(text.replace("Panduan Pemilu 2024 membantu", f"Panduan Pemilu 2024 ({number}) membantu"))

    edit(live, burst)
    assert live.generation - before < 50 // 2, "saves in a burst should be built together"
    site = assert_same_as_clean(live, tmp_path)
    assert "Panduan Pemilu 2024 (49) membantu" in site["tentang/index.html"].decode()


def test_template_change(live, tmp_path):
    template = live.root / "templates/partials/footer.html"   # every page's footer, rendered once per folder
    edit(live, lambda root: template.write_text(template.read_text().replace("</footer>", "<p>Penanda</p></footer>")))
    site = assert_same_as_clean(live, tmp_path)
    assert all("<p>Penanda</p>" in data.decode() for name, data in site.items() if name.endswith(".html"))


def test_data_file_change(live, tmp_path):
    numbers = live.root / "content/numbers.yaml"
    text = numbers.read_text()
    assert "204807222" in text
    edit(live, lambda root: numbers.write_text(text.replace("204807222", "204807223")))
    site = assert_same_as_clean(live, tmp_path)
    assert any("204.807.223" in data.decode() for name, data in site.items() if name.endswith(".html"))


def test_static_file_change(live, tmp_path):
    css = live.root / "static/css/site.css"
    edit(live, lambda root: css.write_text(css.read_text() + "\n/* ganti */\n"))
    site = assert_same_as_clean(live, tmp_path)
    stylesheets = [data for name, data in site.items() if name.startswith("css/site.") and name.endswith(".css")]
    assert len(stylesheets) == 1 and stylesheets[0].endswith(b"/* ganti */\n")   # under its new fingerprint


def test_settings_change(live, tmp_path):
    settings = live.root / "guide.yaml"
    text = settings.read_text()
    assert "  id: Panduan Pemilu 2024\n" in text
    edit(live, lambda root: settings.write_text(text.replace("  id: Panduan Pemilu 2024\n", "  id: Panduan Uji Coba\n", 1)))
    site = assert_same_as_clean(live, tmp_path)
    assert all("Panduan Uji Coba" in data.decode() for name, data in site.items()
               if name.endswith(".html") and not name.startswith("en/"))


def test_a_bad_edit_keeps_the_last_good_site_and_a_fix_recovers(live, tmp_path):
    good = tree_bytes(live.out)
    numbers = live.root / "content/numbers.yaml"
    text = numbers.read_text()
    edit(live, lambda root: numbers.write_text(text + "  - id: [rusak\n"))
    outcome = live.session.outcome
    assert not outcome.ok
    assert any(p.path == "content/numbers.yaml" and p.line > 0 for p in outcome.problems)
    assert tree_bytes(live.out) == good
    assert outcome.site == good
    edit(live, lambda root: numbers.write_text(text.replace("204807222", "204807000")))
    assert_same_as_clean(live, tmp_path)


def test_editor_litter_is_ignored(live):
    assert all(is_editor_litter(name) for name in (".lapor.md.swp", "lapor.md~", ".#lapor.md", "4913", "x.tmp"))
    assert not any(is_editor_litter(name) for name in ("lapor.md", "site.css", "guide.yaml"))
    before = live.generation
    (live.root / "content/pages/.lapor.md.swp").write_bytes(b"swap")
    (live.root / "templates/base.html~").write_text("backup")
    with live.changes.arrived:
        live.changes.arrived.wait(1.0)
        assert not live.changes.pending
    assert live.generation == before


def test_interface_text_and_translation_changes(live, tmp_path):
    catalogue = live.root / "i18n/en.yaml"
    assert catalogue.is_file()
    text = catalogue.read_text()
    name = next(line for line in text.splitlines() if line.strip().startswith("name:"))
    edit(live, lambda root: catalogue.write_text(text.replace(name, name.rstrip() + " (UK)", 1)))
    assert_same_as_clean(live, tmp_path / "first")
    translation = live.root / "content/pages/tentang.en.md"
    edit(live, lambda root: translation.write_text(translation.read_text() + "\nA new closing line.\n"))
    site = assert_same_as_clean(live, tmp_path / "second")
    assert "A new closing line." in site["en/tentang/index.html"].decode()
