"""The official results as the public sees them: the built pages carry exactly the figures of
content/results.yaml, every chart is well-formed SVG with a title and a description whose bar
lengths and seat counts follow the data, and no figure shows before the results are official."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from panduan import charts
from sites import REPO, run_build

OFFICIAL = "2024-04-01T10:00+07:00"
SVG = "{http://www.w3.org/2000/svg}"
DATA = yaml.safe_load((REPO / "content/results.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def official_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("results") / "site"
    result = run_build(REPO, "--out", str(out), "--now", OFFICIAL, "--strict")
    assert result.returncode == 0, result.stderr
    return out


def svgs(html: str) -> dict[str, ET.Element]:
    """Every chart of a page, parsed as XML (a parse error fails the test), by its figure's id."""
    found = {}
    for figure, svg in re.findall(r'<figure class="chart" id="([a-z-]+)">.*?(<svg.*?</svg>)', html, re.S):
        found[figure] = ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    return found


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_numbers_on_the_page_equal_the_data(official_site):
    page = plain((official_site / "hasil/index.html").read_text(encoding="utf-8"))
    english = plain((official_site / "en/hasil/index.html").read_text(encoding="utf-8"))
    for row in DATA["presidential"]["tickets"]:
        assert f"{row['votes']:,}".replace(",", ".") in page and f"{row['votes']:,}" in english
        assert f"{row['percent']}%".replace(".", ",") in page and f"{row['percent']}%" in english
    for row in DATA["dpr"]["parties"]:
        assert f"{row['votes']:,}".replace(",", ".") in page and f"{row['votes']:,}" in english
    assert "580" in page and "Keputusan KPU Nomor 360 Tahun 2024" in page and "KPU Decree 360/2024" in english
    for row in DATA["turnout"]:
        assert f"{row['percent']}%".replace(".", ",") in page


def test_every_chart_is_svg_with_title_desc_and_bars_from_the_data(official_site):
    html = (official_site / "hasil/index.html").read_text(encoding="utf-8")
    found = svgs(html)
    assert sorted(found) == ["grafik-kursi", "grafik-partisipasi", "grafik-presiden", "grafik-suara-dpr"]
    for name, svg in found.items():
        assert svg.find(f"{SVG}title").text.strip() and svg.find(f"{SVG}desc").text.strip(), name
        assert svg.get("aria-labelledby") and svg.get("role") == "img"
        assert "style" not in ET.tostring(svg, encoding="unicode"), "style attributes break a strict CSP"
        assert svg.find(f".//{SVG}script") is None and "@font-face" not in html
    bars = [g for g in found["grafik-presiden"].iter(f"{SVG}g")]
    assert [float(g.get("data-percent")) for g in bars] == [t["percent"] for t in DATA["presidential"]["tickets"]]
    for g, row in zip(bars, DATA["presidential"]["tickets"]):
        assert float(g.find(f"{SVG}rect").get("width")) == pytest.approx(row["percent"] * charts.TICKET_SCALE, abs=0.01)
    party_bars = list(found["grafik-suara-dpr"].iter(f"{SVG}g"))
    assert len(party_bars) == 18
    for g, row in zip(party_bars, DATA["dpr"]["parties"]):
        assert float(g.find(f"{SVG}rect").get("width")) == pytest.approx(row["percent"] * charts.PARTY_SCALE, abs=0.01)
    line = found["grafik-suara-dpr"].find(f"{SVG}line")
    assert float(line.get("x1")) == charts.PARTY_LABEL + DATA["dpr"]["threshold_percent"] * charts.PARTY_SCALE
    seats = {int(p.get("data-party")): p.get("d").count("M") for p in found["grafik-kursi"].iter(f"{SVG}path")}
    assert seats == {row["number"]: row["seats"] for row in DATA["dpr"]["parties"] if row["seats"]}
    assert sum(seats.values()) == DATA["dpr"]["seats_total"] == 580
    turnout = [float(r.get("width")) for r in found["grafik-partisipasi"].iter(f"{SVG}rect")]
    assert turnout == pytest.approx([t["percent"] * charts.TURNOUT_SCALE for t in DATA["turnout"]], abs=0.01)


def test_charts_are_small_and_the_same_bytes_every_build(official_site, tmp_path):
    html = (official_site / "hasil/index.html").read_text(encoding="utf-8")
    for svg in re.findall(r"<svg.*?</svg>", html, re.S):
        assert len(svg.encode()) < 11_000
    again = tmp_path / "again"
    assert run_build(REPO, "--out", str(again), "--now", OFFICIAL).returncode == 0
    assert (again / "hasil/index.html").read_bytes() == (official_site / "hasil/index.html").read_bytes()


def test_results_page_is_in_sitemap_search_feed_and_linked_from_home(official_site):
    sitemap = (official_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/hasil/</loc>" in sitemap and "/en/hasil/</loc>" in sitemap
    assert 'href="hasil/"' in (official_site / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in (official_site / "hasil/index.html").read_text(encoding="utf-8")
    feed = (official_site / "pembaruan/atom.xml").read_text(encoding="utf-8")
    assert "/hasil/" in feed and "2024-03-21" in feed
    page = (official_site / "hasil/index.html").read_text(encoding="utf-8")
    assert '"@type":"Dataset"' in page and "forumkeadilan.com" in page


@pytest.mark.parametrize("now", ["2024-03-01T10:00+07:00", "2024-03-20T18:00+07:00"])
def test_no_figure_before_the_results_are_official(tmp_path, now):
    """In the recapitulation and on the day itself before official_at: the pages say when, never what."""
    out = tmp_path / "site"
    result = run_build(REPO, "--out", str(out), "--now", now, "--strict")
    assert result.returncode == 0, result.stderr
    figures = [f"{row['votes']:,}".replace(",", ".") for row in DATA["presidential"]["tickets"]] + ["58,59", "58.59"]
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not any(figure in text for figure in figures), page
    hasil = plain((out / "hasil/index.html").read_text(encoding="utf-8"))
    assert "KPU dijadwalkan menetapkannya pada 20 Maret 2024" in hasil and "<svg" not in hasil
    if now.startswith("2024-03-20"):   # the next rebuild is due the moment they become official
        assert '"next_change": "2024-03-21T00:00:00+07:00"' in (out / "next-change.json").read_text(encoding="utf-8")


def test_schedule_timeline_marks_now_at_the_current_phase(tmp_path):
    out = tmp_path / "site"
    assert run_build(REPO, "--out", str(out), "--now", "2024-02-12T10:00+07:00").returncode == 0
    for page, now in (("jadwal/index.html", "Masa tenang"), ("en/jadwal/index.html", "Quiet period")):
        html = (out / page).read_text(encoding="utf-8")
        svg = re.search(r'<figure class="chart phase-timeline" id="garis-waktu">.*?(<svg.*?</svg>)', html, re.S).group(1)
        tree = ET.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
        assert tree.find(f"{SVG}title").text and now in tree.find(f"{SVG}desc").text
        groups = [g.get("class") for g in tree.iter(f"{SVG}g")]
        assert groups == ["phase-done", "phase-done", "phase-now", "phase-upcoming", "phase-upcoming", "phase-upcoming"]
        now_text = [g for g in tree.iter(f"{SVG}g") if g.get("class") == "phase-now"][0]
        assert now in "".join(now_text.itertext())


def test_share_image_draws_the_presidential_bars(official_site):
    import zlib
    from panduan import share_png
    html = (official_site / "hasil/index.html").read_text(encoding="utf-8")
    assert '<meta property="og:image" content="https://panduan-pemilu.example/bagikan-hasil.png">' in html
    assert "58,59%" in re.search(r'og:image:alt" content="([^"]*)"', html).group(1)
    data = (official_site / "bagikan-hasil.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and b"tEXt" not in data and b"tIME" not in data
    idat = data[data.index(b"IDAT") + 4:data.index(b"IEND") - 8]
    raw = zlib.decompress(idat)
    rows = [raw[i * 1201 + 1:(i + 1) * 1201] for i in range(share_png.HEIGHT)]
    drawn = sorted({row.count(share_png.BAR) for row in rows} - {0})
    expected = sorted(round(t["percent"] * share_png.BAR_LENGTH / 100) for t in DATA["presidential"]["tickets"])
    assert drawn == expected
    assert (official_site / "en/bagikan-hasil.png").is_file()
