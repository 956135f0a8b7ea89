"""The real Pemilu 2024 guide, built whole, as the public will see it."""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from panduan import copy_notice
from sites import NOW, REPO, run_build, run_build_afresh, tree_bytes


@pytest.fixture
def site(default_site) -> Path:
    return default_site


def text(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_names_voting_day_and_counts_down(site):
    home = text(site, "index.html")
    assert "Rabu, 14 Februari 2024" in home
    assert "35 hari lagi" in home            # 10 January 2024 -> 14 February 2024
    assert "Masa kampanye" in home            # the stage running on 10 January 2024
    assert "204.807.222" in home              # DPT, formatted the Indonesian way


def test_parties_page_lists_all_24_with_ballot_numbers(site):
    html = (site / "partai/index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="partai-(\d+)"><td class="num">(\d+)</td><td>([^<]+)</td>', html)
    assert sorted(int(n) for n, _, _ in rows) == list(range(1, 25))
    assert all(n == shown for n, shown, _ in rows)
    by_number = {int(n): abbr for n, _, abbr in rows}
    assert by_number[1] == "PKB" and by_number[3] == "PDI-P" and by_number[24] == "Ummat"
    assert "18 partai politik nasional dan 6 partai politik lokal Aceh" in text(site, "partai/index.html")


def test_tickets_page_has_three_tickets_in_order(site):
    page = text(site, "paslon/index.html")
    positions = [page.find(name) for name in ("Anies Rasyid Baswedan", "Prabowo Subianto", "Ganjar Pranowo")]
    assert -1 not in positions and positions == sorted(positions)
    assert "Gibran Rakabuming Raka" in page and "Mohammad Mahfud MD" in page
    assert "58,59" not in page   # on 10 January 2024 there is no result yet (tests/test_results.py: after)


def test_every_fact_links_to_its_source(site):
    sources_html = (site / "sumber/index.html").read_text(encoding="utf-8")
    anchors = set(re.findall(r'<li id="([a-z0-9-]+)">', sources_html))
    for page in site.rglob("*.html"):
        for anchor in re.findall(r'class="cite" href="[^"#]*sumber/#([a-z0-9-]+)"', page.read_text(encoding="utf-8")):
            assert anchor in anchors, f"{page}: cites {anchor}"


def test_schedule_marks_done_now_and_upcoming(site):
    html = (site / "jadwal/index.html").read_text(encoding="utf-8")
    assert 'class="stage stage-done" id="penetapan-partai-politik"' in html or "stage-done" in html
    assert re.search(r'class="stage stage-now" id="masa-kampanye"', html)
    assert re.search(r'class="stage stage-upcoming" id="pemungutan-suara"', html)


def test_markdown_pages_are_built_and_accessible_shape(site):
    for slug in ("mengapa-memilih", "cara-mencoblos", "kenali-hoaks", "lapor-hoaks", "tanya-jawab", "tentang"):
        html = (site / slug / "index.html").read_text(encoding="utf-8")
        assert '<html lang="id">' in html
        assert 'href="#isi"' in html and '<main id="isi"' in html
        assert html.count("<h1") == 1
        levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), f"{slug}: headings skip a level {levels}"
    ballots = text(site, "cara-mencoblos/index.html")
    for colour in ("Abu-abu", "Kuning", "Merah", "Biru", "Hijau"):
        assert colour in ballots


def test_no_javascript_needed(site):
    """Scripts are data (JSON-LD), small optional files that load after the page (defer), or the
    dated-copy notice's few lines, inline and allowed by their digest alone."""
    for page in site.rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        html = page.read_text(encoding="utf-8")
        for script in re.findall(r"<script[^>]*>", html):
            assert script in ('<script type="application/ld+json">', "<script>") or re.fullmatch(
                r'<script src="[./]*js/[a-z-]+\.[0-9a-f]{10}\.js" defer>', script), (page, script)
        inline = re.findall(r"<script>(.*?)</script>", html, re.S)
        assert inline == [copy_notice.SCRIPT] or not inline, page
        if inline:
            digest = base64.b64encode(hashlib.sha256(inline[0].encode("utf-8")).digest()).decode("ascii")
            assert f"script-src 'self' 'wasm-unsafe-eval' 'sha256-{digest}';" in html, page
    for home, countdown in (("index.html", "35 hari lagi"), ("en/index.html", "35 days to go")):
        assert countdown in text(site, home)   # correct in the HTML, with or without the script


def test_two_builds_are_byte_identical(tmp_path):
    """Two builds in two Pythons that hash strings differently (set and dict order may differ)."""
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_build_afresh(REPO, "--out", str(first), "--now", NOW, hash_seed="1").returncode == 0
    assert run_build_afresh(REPO, "--out", str(second), "--now", NOW, hash_seed="2").returncode == 0
    assert tree_bytes(first) == tree_bytes(second)


def test_check_writes_nothing(tmp_path):
    out = tmp_path / "never"
    result = run_build(REPO, "check", "--out", str(out), "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert not out.exists()
