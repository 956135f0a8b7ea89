"""Fact checks never spread the claim they debunk: on the real guide, in both languages, every
place a fact check is named (its <title>, og:title, <h1>, the share links' text, the list on
/cek-fakta/, the search page's list and the search index's title) starts with the verdict, and the
claim, where quoted, is marked as the claim and comes after it."""
from __future__ import annotations

import html
import re
import urllib.parse
from pathlib import Path

import frontmatter
import pytest
import yaml

from sites import REPO

HOAXES = REPO / "content" / "hoaxes"
LANGS = {"id": "", "en": "en/"}


def _catalogue(lang: str) -> dict:
    return yaml.safe_load((REPO / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8"))


def _checks() -> list[tuple[str, str, str, str]]:
    """(slug, language, verdict name, claim) of every fact check in every language."""
    catalogues = {lang: _catalogue(lang) for lang in LANGS}
    found = []
    for path in sorted(HOAXES.glob("*.md")):
        if path.name.endswith(".en.md"):
            continue
        original = frontmatter.load(path)
        translation = path.with_name(path.stem + ".en.md")
        for lang in LANGS:
            claim = original["claim"] if lang == "id" else frontmatter.load(translation)["claim"]
            name = catalogues[lang]["verdict"][original["verdict"].replace("-", "_")]
            found.append((path.stem, lang, str(name), claim))
    return found


CHECKS = _checks()


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))).strip()


def test_the_real_guide_has_fact_checks_in_both_languages():
    assert len(CHECKS) >= 8 and {lang for _, lang, _, _ in CHECKS} == set(LANGS)


@pytest.mark.parametrize("slug,lang,verdict,claim", CHECKS, ids=[f"{c[1]}-{c[0]}" for c in CHECKS])
def test_title_og_title_h1_and_share_text_begin_with_the_verdict(default_site: Path, slug, lang, verdict, claim):
    page = (default_site / LANGS[lang] / "cek-fakta" / slug / "index.html").read_text(encoding="utf-8")
    lead = verdict + ":"
    title = _text(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
    og_title = html.unescape(re.search(r'<meta property="og:title" content="([^"]*)"', page).group(1))
    h1 = _text(re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1))
    assert title.startswith(lead) and og_title.startswith(lead) and h1.startswith(lead), (title, og_title, h1)
    # the verdict is inside the heading itself, not only in a badge beside it
    assert re.search(r'<h1[^>]*><span class="verdict verdict-[a-z-]+">', page)
    shares = re.findall(r'href="https://(?:wa\.me/\?text=|t\.me/share/url\?[^"]*?text=|x\.com/intent/tweet\?[^"]*?text=)'
                        r'([^"&]*)', page)
    assert len(shares) == 3
    for shared in shares:
        assert urllib.parse.unquote(html.unescape(shared)).startswith(lead)
    # the claim is there, marked as the claim, after the verdict and the fact
    label = _catalogue(lang)["claims"]["label"]
    marked = re.search(r'<p class="claim">([^<]*)<q>(.*?)</q></p>', page)
    assert marked and marked.group(1).strip() == label and html.unescape(marked.group(2)) == claim
    assert page.index("<h1") < marked.start()
    assert claim not in title and claim not in og_title


@pytest.mark.parametrize("lang", LANGS)
def test_lists_lead_with_the_verdict(default_site: Path, lang):
    checks = [(slug, verdict, claim) for slug, language, verdict, claim in CHECKS if language == lang]
    listing = (default_site / LANGS[lang] / "cek-fakta" / "index.html").read_text(encoding="utf-8")
    headings = [_text(h) for h in re.findall(r"<h2[^>]*><a [^>]*>(.*?)</a></h2>", listing, re.S)]
    assert len(headings) == len(checks)
    for slug, verdict, claim in checks:
        assert any(h.startswith(verdict + ":") for h in headings)
        assert claim in [html.unescape(q) for q in re.findall(r"<q>(.*?)</q>", listing)]   # quoted as the claim
    search = (default_site / LANGS[lang] / "cari" / "index.html").read_text(encoding="utf-8")
    for slug, verdict, claim in checks:
        link = re.search(rf'<a href="[^"]*cek-fakta/{slug}/">(.*?)</a>', search, re.S)
        assert _text(link.group(1)).startswith(verdict + ":") and claim not in _text(link.group(1))
