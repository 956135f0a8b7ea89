"""Scheduled, expired, draft and phase-bound pages and messages, on the small fixture guide;
and what an editor sees when the new fields are wrong."""
from __future__ import annotations

from pathlib import Path

import pytest

from sites import NOW, run_build, tree_bytes

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


def test_link_to_a_page_that_is_not_built_is_reported(mini):
    add_page(mini, "publish_at: 2024-03-01")
    linking = mini / "content/pages/lapor.md"
    linking.write_text(linking.read_text(encoding="utf-8") + "\nLihat [halaman uji](uji.md).\n", encoding="utf-8")
    before = tree_bytes(mini)
    result, out = build(mini)
    assert result.returncode == 1
    assert ("content/pages/lapor.md:10: link to 'uji.md', a page that is not built now: it is published from "
            "2024-03-01T00:00:00+07:00 (publish_at)\n"
            "   hint: remove the link, or give this page the same phases, publish_at and expire_at") in result.stderr
    assert not out.exists() and tree_bytes(mini) == before


def test_menu_link_to_a_page_that_is_not_built_is_reported(mini):
    add_page(mini, "draft: true", name="cara-mencoblos.md")
    result, _ = build(mini)
    assert result.returncode == 1
    assert ("guide.yaml:26: navigation link 'Cara Mencoblos' goes to /cara-mencoblos/, which is not built now: "
            "it is a draft (draft: true)") in result.stderr


def test_messages_follow_the_phase_and_show_banners(mini):
    result, out = build(mini, "2024-02-12T08:00+07:00")
    assert result.returncode == 0, result.stderr
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "<h2>Masa tenang</h2>" in home and "Kampanye berlangsung" not in home
    for page in ("index.html", "jadwal/index.html", "lapor/index.html"):
        assert '<div class="banner" role="note"><p class="wrap">Masa tenang sedang berlangsung.</p></div>' in \
            (out / page).read_text(encoding="utf-8")


BROKEN = [
    ("page", 'publish_at: 2024-02-10\nexpire_at: "2024-02-01T08:00"',
     "content/pages/uji.md:6:12: expire_at (2024-02-01T08:00:00+07:00) is not after publish_at "
     "(2024-02-10T00:00:00+07:00)\n   hint: a page is shown from publish_at until expire_at; check both"),
    ("page", "phases: [masa-tenag]",
     "content/pages/uji.md:5:10: phases: must be one of pra-kampanye, kampanye, masa-tenang, pemungutan-suara, "
     "rekapitulasi, hasil, got 'masa-tenag'\n   hint: did you mean 'masa-tenang'?"),
    ("page", "publish_at: besok",
     "content/pages/uji.md:5:13: publish_at: expected a date and time, got 'besok'\n"
     "   hint: write \"2024-02-14T07:00\" (the guide's time zone) or \"2024-02-14T07:00+07:00\", in quotes"),
    ("page", "changes:\n  - {date: 2024-01-05}",
     "content/pages/uji.md:6:5: change note is missing 'note' (what changed, for readers; published on the "
     "updates page and feed)"),
    ("guide:masa-tenang: masa-tenang", "    masa-tenang: masa-tenan\n",
     "guide.yaml:21: phase 'masa-tenang' starts with stage 'masa-tenan', which is not in content/schedule.yaml\n"
     "   hint: did you mean 'masa-tenang'?"),
    ("guide:pemungutan-suara: pemungutan-suara", "    pemungutan-suara: masa-kampanye\n",
     "guide.yaml:22: phase 'pemungutan-suara' starts on 2023-11-28 (stage 'masa-kampanye'), not after phase "
     "'masa-tenang' (2024-02-11, stage 'masa-tenang')"),
    ("guide:pemungutan-suara: pemungutan-suara", "    sesudah: masa-tenang\n",
     "guide.yaml:22:5: unknown key 'sesudah' in phase starts"),
    ("message", "      - {title: Lapor, link: /lapor-hoaks/}",
     "content/messages.yaml:7: message 'kampanye' links to /lapor-hoaks/, which does not exist"),
]


@pytest.mark.parametrize("where,text,expected", BROKEN, ids=[f"{b[0].split(':')[0]}-{i}" for i, b in enumerate(BROKEN)])
def test_broken_new_fields_are_reported_exactly(mini, where, text, expected):
    if where == "page":
        add_page(mini, text)
    elif where.startswith("guide:"):   # replace the line of one phase in guide.yaml
        guide = mini / "guide.yaml"
        lines = guide.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[lines.index(f"    {where[6:]}\n")] = text
        guide.write_text("".join(lines), encoding="utf-8")
    else:
        messages = mini / "content/messages.yaml"
        lines = messages.read_text(encoding="utf-8").splitlines(keepends=True)
        lines[6] = text + "\n"
        messages.write_text("".join(lines), encoding="utf-8")
    result, out = build(mini)
    assert result.returncode == 1, result.stdout
    assert expected in result.stderr
    assert not out.exists()
