"""What reaches every reader: fact checks, structured data, sharing, light pages, offline, search index."""
from __future__ import annotations

import gzip
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from sites import FIXTURES, NOW, REPO, assemble, run_build, run_build_afresh, tree_bytes

BUDGET = 30 * 1024     # per page: HTML + CSS + JS, gzip


@pytest.fixture
def site(default_site) -> Path:
    return default_site


class _Head(HTMLParser):
    """Collects meta tags, JSON-LD, stylesheets, scripts and links of one page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.jsonld: list[dict] = []
        self.assets: list[str] = []
        self.links: list[str] = []
        self._in_jsonld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_jsonld = True
        elif tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.assets.append(attrs["href"])
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        self._in_jsonld = False

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld.append(json.loads(data))


def head(site: Path, page: str) -> _Head:
    return _Head((site / page).read_text(encoding="utf-8"))


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


def test_fact_checks_have_a_list_and_a_claim_review_each(site):
    listing = (site / "cek-fakta/index.html").read_text(encoding="utf-8")
    entries = sorted(p.stem for p in (REPO / "content/hoaxes").glob("*.md") if "." not in p.stem)
    assert 2 <= len(entries) <= 4
    for slug in entries:
        assert f'href="{slug}/"' in listing
        for lang, prefix, verdicts in (("id", "", ("Hoaks", "Salah")), ("en", "en/", ("Hoax", "False"))):
            data = head(site, f"{prefix}cek-fakta/{slug}/index.html").jsonld
            assert [d["@type"] for d in data] == ["ClaimReview"]
            review = data[0]
            assert review["url"] == f"https://panduan-pemilu.example/{prefix}cek-fakta/{slug}/"
            assert review["inLanguage"] == lang
            assert review["claimReviewed"] and review["itemReviewed"]["@type"] == "Claim"
            assert review["reviewRating"]["alternateName"] in verdicts
            assert review["reviewRating"]["ratingValue"] == 1
    golput = (site / "cek-fakta/golput-dipenjara/index.html").read_text(encoding="utf-8")
    assert '<span class="verdict verdict-hoaks">Hoaks</span>' in golput
    assert 'href="../../sumber/#uu-7-2017"' in golput   # the law, not an infographic (issue 10)


def cite_links(html: str) -> dict[str, set[str]]:
    """Source links of a page: the text a screen reader hears -> the addresses it leads to."""
    found: dict[str, set[str]] = {}
    for href, inner in re.findall(r'<a class="cite" href="([^"]+)">(.*?)</a>', html):
        found.setdefault(re.sub(r"<[^>]+>", "", inner), set()).add(href)
    return found


def test_links_to_two_sources_of_one_publisher_sound_different(site, tmp_path):
    for page in pages(site):
        for heard, targets in cite_links(page.read_text(encoding="utf-8")).items():
            assert len(targets) == 1, f"{page}: '{heard}' leads to {targets}"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert '<a class="cite" href="sumber/#pkpu-3-2022">Sumber: KPU, PKPU 3/2022</a>' in home   # seen and heard
    assert "Sumber: KPU, penetapan DPT" in cite_links(home)
    english = cite_links((site / "en/index.html").read_text(encoding="utf-8"))
    assert "Source: KPU, KPU Regulation 3/2022" in english
    # a publisher with one source is named alone; without `short:` the title names the document
    root = assemble(tmp_path / "mini", FIXTURES / "mini")
    assert run_build(root, "--now", NOW).returncode == 0
    assert cite_links((root / "_site/partai/index.html").read_text(encoding="utf-8")) == \
        {"Komisi Uji": {"../sumber/#aturan"}}     # in the line "Sumber: Komisi Uji" under each table
    sources = root / "content/sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("Koran Uji", "Komisi Uji"), encoding="utf-8")
    assert run_build(root, "--now", NOW).returncode == 0
    assert cite_links((root / "_site/partai/index.html").read_text(encoding="utf-8")) == \
        {"Komisi Uji, Peraturan uji tentang tahapan": {"../sumber/#aturan"}}


def test_voting_day_is_an_event_and_the_faq_a_faq_page(site):
    event, = head(site, "index.html").jsonld
    assert (event["@type"], event["startDate"], event["endDate"]) == ("Event", "2024-02-14", "2024-02-14")
    assert event["location"]["address"]["addressCountry"] == "ID"
    faq, = head(site, "tanya-jawab/index.html").jsonld
    questions = re.findall(r"^## (.+)$", (REPO / "content/pages/tanya-jawab.md").read_text(encoding="utf-8"), re.M)
    assert [q["name"] for q in faq["mainEntity"]] == questions
    first = faq["mainEntity"][0]["acceptedAnswer"]["text"]
    assert first.startswith("Rabu, 14 Februari 2024. TPS buka pukul 07.00 sampai 13.00")
    assert "<" not in first


def test_json_ld_cannot_be_closed_by_content(tmp_path):
    root = assemble(tmp_path / "guide")
    claim = "Kabar </script><script>alert(1)</script> & <!-- lain -->"
    (root / "content/hoaxes/uji.md").write_text(
        f"---\nclaim: '{claim}'\nverdict: salah\nsummary: Tidak benar.\nchecked: 2024-01-05\n"
        "sources: [pkpu-3-2022]\n---\nPenjelasan.\n", encoding="utf-8")
    result = run_build(root, "--now", NOW)
    assert result.returncode == 0, result.stderr
    html = (root / "_site/cek-fakta/uji/index.html").read_text(encoding="utf-8")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert not re.search(r"[<>&]", script)
    assert json.loads(script)["claimReviewed"] == claim
    assert "<script>alert" not in html


def test_open_graph_share_image_and_share_links(site):
    for page in ("index.html", "cara-mencoblos/index.html", "cek-fakta/golput-dipenjara/index.html"):
        parsed = head(site, page)
        url = parsed.meta["og:url"]
        assert url.startswith("https://panduan-pemilu.example/") and parsed.meta["og:title"]
        assert parsed.meta["og:description"] and parsed.meta["twitter:card"] == "summary_large_image"
        image = parsed.meta["og:image"]
        assert image == "https://panduan-pemilu.example/img/bagikan.png"
        assert (site / "img/bagikan.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        shares = {urlsplit(link).netloc: parse_qs(urlsplit(link).query) for link in parsed.links
                  if urlsplit(link).netloc in ("wa.me", "t.me", "x.com", "www.facebook.com")}
        assert shares["wa.me"]["text"][0].endswith(" " + url)
        assert shares["t.me"]["url"] == [url] and shares["x.com"]["url"] == [url]
        assert shares["www.facebook.com"]["u"] == [url]
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "https%3A%2F%2Fpanduan-pemilu.example%2F" in html


def test_assets_are_fingerprinted_by_content(site):
    assets = sorted(p.relative_to(site).as_posix() for d in ("css", "js") for p in (site / d).iterdir())
    assert assets and all(re.fullmatch(r"(css|js)/[a-z-]+\.[0-9a-f]{10}\.(css|js)", a) for a in assets)
    for name in assets:
        stem, digest, extension = name.rsplit(".", 2)
        original = REPO / "static" / f"{stem}.{extension}"
        assert hashlib.sha256(original.read_bytes()).hexdigest()[:10] == digest
    assert head(site, "jadwal/index.html").assets[0].startswith("../css/site.")


def weight(site: Path, page: Path) -> int:
    """HTML plus the stylesheets and scripts it loads, as transferred with gzip."""
    html = page.read_bytes()
    total = len(gzip.compress(html, mtime=0))
    for asset in _Head(html.decode("utf-8")).assets:
        target = (site / asset.lstrip("/")) if asset.startswith("/") else (page.parent / asset)
        total += len(gzip.compress(target.resolve().read_bytes(), mtime=0))
    return total


def test_every_page_weighs_at_most_30_kb_gzip(site):
    heaviest = {page.relative_to(site).as_posix(): weight(site, page) for page in pages(site)}
    assert len(heaviest) >= 19
    over = {page: size for page, size in heaviest.items() if size > BUDGET}
    assert not over, f"pages over {BUDGET} bytes gzip: {over}"


def test_results_page_with_its_charts_weighs_at_most_30_kb_gzip(tmp_path):
    """The heaviest moment of the results page: once official, with all four pictures and tables."""
    out = tmp_path / "site"
    assert run_build(REPO, "--out", str(out), "--now", "2024-04-01T10:00+07:00").returncode == 0
    for page in ("hasil/index.html", "en/hasil/index.html"):
        assert (out / page).read_text(encoding="utf-8").count("<svg") >= 4
        assert weight(out, out / page) <= BUDGET, f"{page}: {weight(out, out / page)} bytes gzip"


def test_service_worker_keeps_the_key_pages_and_every_page_of_a_language(site):
    worker = (site / "sw.js").read_text(encoding="utf-8")
    constant = lambda name: json.loads(re.search(rf"^const {name} = (.*);$", worker, re.M).group(1))  # noqa: E731
    install = constant("INSTALL")
    pages = [k for k in install if k.endswith("/")]
    assert pages == ["./", "en/", "cara-mencoblos/", "en/cara-mencoblos/", "kenali-hoaks/", "en/kenali-hoaks/",
                     "lapor-hoaks/", "en/lapor-hoaks/", "cetak/", "en/cetak/", "cek-fakta/", "en/cek-fakta/"]
    assert all((site / path / "index.html").is_file() for path in pages)
    assert constant("OFFLINE") == {"en": "en/luring.html", "id": "luring.html"}
    assert {"luring.html", "en/luring.html"} <= set(install)
    css = [k for k in constant("ASSETS") if k.startswith("css/")]
    assert css and all((site / path).is_file() for path in css)
    languages = constant("LANGUAGES")
    every = {p.relative_to(site).as_posix().removesuffix("index.html") or "./"
             for p in site.rglob("*") if p.suffix in (".html", ".ics") and p.name not in ("404.html", "luring.html")
             and not p.relative_to(site).as_posix().startswith("pagefind/")}
    assert set(languages["id"]) | set(languages["en"]) == every
    assert all(path.startswith("en/") for path in languages["en"]) and "jadwal/" in languages["id"]


def test_service_worker_version_follows_the_key_pages(tmp_path):
    root = assemble(tmp_path / "guide")
    version = lambda out: re.search(r'const VERSION = "([0-9a-f]+)"', (out / "sw.js").read_text()).group(1)  # noqa: E731
    for out in ("a", "b"):
        assert run_build(root, "--out", str(tmp_path / out), "--now", NOW).returncode == 0
    assert version(tmp_path / "a") == version(tmp_path / "b")
    page = root / "content/pages/cara-mencoblos.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSatu kalimat baru.\n", encoding="utf-8")
    assert run_build(root, "--out", str(tmp_path / "c"), "--now", NOW).returncode == 0
    assert version(tmp_path / "c") != version(tmp_path / "a")


def test_search_index_holds_what_pagefind_js_loads_and_not_its_unused_interfaces(site):
    top = sorted(p.name for p in (site / "pagefind").iterdir() if p.is_file())
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    needed = {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json"}
    needed |= {f"pagefind.{language['hash']}.pf_meta" for language in entry["languages"].values()}
    needed |= {f"wasm.{language['wasm']}.pagefind" for language in entry["languages"].values()}
    assert needed <= set(top)
    assert not [name for name in top if "-ui." in name or "highlight" in name], top
    assert any((site / "pagefind/index").iterdir()) and any((site / "pagefind/fragment").iterdir())


def test_search_index_is_built_and_identical_across_builds(site, tmp_path):
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert sorted(entry["languages"]) == ["en", "id"]
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    assert indexed == len(pages(site)) - 8       # not the 404, offline, search nor updates pages (two of each)
    again = tmp_path / "again"      # another output folder: nothing of its path may leak into the index
    built = run_build_afresh(REPO, "--out", str(again), "--now", NOW, "--strict", hash_seed="3")   # other hashing
    assert built.returncode == 0, built.stderr
    assert tree_bytes(again) == tree_bytes(site)


def test_an_untranslated_page_is_indexed_once_in_its_own_language(tmp_path):
    guide = assemble(tmp_path / "guide")
    (guide / "content/pages/tentang.en.md").unlink()   # English readers get the Indonesian text
    out = tmp_path / "site"
    assert run_build(guide, "--out", str(out), "--now", NOW).returncode == 0
    entry = json.loads((out / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    counts = {lang: language["page_count"] for lang, language in entry["languages"].items()}
    assert (out / "en/tentang/index.html").is_file() and "data-pagefind-body" in (out / "en/tentang/index.html").read_text()
    assert counts["id"] == counts["en"] + 1, counts   # its English address shows the text indexed in Indonesian
