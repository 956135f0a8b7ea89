"""Scheduled, expired, draft and phase-bound pages and messages, on the small fixture guide.
What an editor sees when the new fields are wrong is in tests/broken/ (e.g. expire-before-publish,
link-to-unpublished-page, phase-unknown-stage)."""
from __future__ import annotations

from pathlib import Path

import pytest

from sites import NOW, run_build

PAGE = """---
title: Halaman Uji
summary: Untuk pengujian.
order: 3
{front}
---
Isi halaman uji.
"""


def add_page(root: Path, front: str, name: str = "uji.md") -> Path:
    path = root / "content/pages" / name
    path.write_text(PAGE.format(front=front), encoding="utf-8")
    return path


def build(root: Path, now: str = NOW, *extra: str):
    out = root / "_site"
    return run_build(root, "--now", now, *extra), out


def listed(out: Path) -> bool:
    """Whether the test page is built and linked from the home page, the footer and the sitemap."""
    built = (out / "uji/index.html").exists()
    home = (out / "index.html").read_text(encoding="utf-8")
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    linked = 'href="uji/"' in home
    assert built == linked == ("https://mini.example/uji/" in sitemap)
    return built


@pytest.mark.parametrize("front,now,shown", [
    ("publish_at: 2024-02-01", "2024-01-31T23:59+07:00", False),
    ("publish_at: 2024-02-01", "2024-02-01T00:00+07:00", True),
    ('publish_at: "2024-02-01T12:00+08:00"', "2024-02-01T11:59+08:00", False),
    ('publish_at: "2024-02-01T12:00+08:00"', "2024-02-01T11:00+07:00", True),
    ('expire_at: "2024-02-14T13:00"', "2024-02-14T12:59+07:00", True),
    ('expire_at: "2024-02-14T13:00"', "2024-02-14T13:00+07:00", False),
    ("phases: [masa-tenang]", "2024-02-10T23:00+07:00", False),
    ("phases: [masa-tenang]", "2024-02-11T08:00+07:00", True),
    ("phases: [masa-tenang]", "2024-02-14T08:00+07:00", False),
    ("draft: true", NOW, False),
])
def test_page_is_built_and_linked_only_inside_its_window(mini, front, now, shown):
    add_page(mini, front)
    result, out = build(mini, now)
    assert result.returncode == 0, result.stderr
    assert listed(out) is shown


def test_drafts_flag_builds_drafts_with_a_notice(mini):
    add_page(mini, "draft: true")
    result, out = build(mini, NOW, "--drafts")
    assert result.returncode == 0, result.stderr
    assert listed(out)
    assert "<strong>Draf.</strong> Halaman ini belum terbit" in (out / "uji/index.html").read_text(encoding="utf-8")


def test_next_change_includes_publish_and_expire_times(mini):
    add_page(mini, 'publish_at: "2024-01-10T15:30"\nexpire_at: 2024-01-20')
    result, out = build(mini)
    assert result.returncode == 0, result.stderr
    assert "next change: 2024-01-10T15:30:00+07:00 (content/pages/uji.md is published)" in result.stdout


def test_messages_follow_the_phase_and_show_banners(mini):
    result, out = build(mini, "2024-02-12T08:00+07:00")
    assert result.returncode == 0, result.stderr
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "<h2>Masa tenang</h2>" in home and "Kampanye berlangsung" not in home
    for page in ("jadwal/index.html", "lapor-hoaks/index.html"):
        assert '<aside class="banner" aria-label="Pengumuman" data-kini>\n<p class="wrap">Masa tenang sedang berlangsung.</p>' in \
            (out / page).read_text(encoding="utf-8")
    assert 'class="banner"' not in home     # the home page shows the message itself: its banner would repeat it
    assert '<aside class="banner" aria-label="Announcement" data-kini>\n<p class="wrap">The quiet period is under way.</p>' in \
        (out / "en/jadwal/index.html").read_text(encoding="utf-8")


def test_phase_that_guide_yaml_never_starts_is_a_warning(mini):
    add_page(mini, "phases: [kampanye, hasil]")
    warned, out = build(mini)
    assert warned.returncode == 0 and listed(out)
    expected = ("content/pages/uji.md:5: {}this page is shown in phase 'hasil', which guide.yaml does not start, "
                "so it never shows there\n   hint: add 'hasil: <stage id>' under election: phases in guide.yaml, "
                "or remove the phase here")
    assert expected.format("warning: ") in warned.stderr
    strict, _ = build(mini, NOW, "--strict")
    assert strict.returncode == 1 and expected.format("") in strict.stderr
