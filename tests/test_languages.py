"""Two languages: Indonesian at /, English under /en/, and what editors see when a translation is missing."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from markupsafe import Markup

from panduan.i18n import BadBraces, Catalogues, Entry
from sites import NOW, assemble, run_build


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def site(default_site) -> Path:
    return default_site


def test_every_page_exists_in_both_languages(site):
    indonesian = {p.relative_to(site).as_posix() for p in site.rglob("*.html") if not p.is_relative_to(site / "en")}
    english = {p.relative_to(site / "en").as_posix() for p in (site / "en").rglob("*.html")}
    assert indonesian == english
    assert {"index.html", "jadwal/index.html", "cara-mencoblos/index.html", "404.html", "cek-fakta/index.html",
            "cek-fakta/golput-dipenjara/index.html"} <= english


def test_html_lang_hreflang_and_switcher(site):
    for page, lang, other in (("jadwal/index.html", "id", "en"), ("en/jadwal/index.html", "en", "id")):
        html = (site / page).read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in html
        assert '<link rel="alternate" hreflang="id" href="https://panduan-pemilu.example/jadwal/">' in html
        assert '<link rel="alternate" hreflang="en" href="https://panduan-pemilu.example/en/jadwal/">' in html
        assert '<link rel="alternate" hreflang="x-default" href="https://panduan-pemilu.example/jadwal/">' in html
        switch = re.search(r'<a class="language" href="([^"]+)" lang="(\w+)" hreflang="(\w+)">([^<]+)</a>', html)
        target = {"en": "../en/jadwal/", "id": "../../jadwal/"}[other]
        assert switch.groups() == (target, other, other, {"en": "English", "id": "Bahasa Indonesia"}[other])


def claim_review(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))


def head_links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html)


def test_fact_checks_are_in_english_with_their_translations(site):
    base = "https://panduan-pemilu.example"
    english = (site / "en/cek-fakta/golput-dipenjara/index.html").read_text(encoding="utf-8")
    indonesian = (site / "cek-fakta/golput-dipenjara/index.html").read_text(encoding="utf-8")
    main = text(english[english.index("<main"):english.index("</main>")])
    assert '<html lang="en">' in english and 'lang="id"' not in english[english.index("<main"):]
    assert "The claim that circulated: People who abstain from voting (golput) can be sent to prison" in main
    assert "Hoax : Not voting is not a crime." in main and "Explanation" in main and "dipenjara" not in main
    pair = [("id", f"{base}/cek-fakta/golput-dipenjara/"), ("en", f"{base}/en/cek-fakta/golput-dipenjara/"),
            ("x-default", f"{base}/cek-fakta/golput-dipenjara/")]
    assert head_links(english) == head_links(indonesian) == pair
    assert f'<link rel="canonical" href="{base}/en/cek-fakta/golput-dipenjara/">' in english
    assert '<a class="language" href="../../../cek-fakta/golput-dipenjara/" lang="id" hreflang="id">' in english
    assert '<a class="language" href="../../en/cek-fakta/golput-dipenjara/" lang="en" hreflang="en">' in indonesian
    review, original = claim_review(english), claim_review(indonesian)
    assert (review["inLanguage"], review["url"]) == ("en", f"{base}/en/cek-fakta/golput-dipenjara/")
    assert review["claimReviewed"] == "People who abstain from voting (golput) can be sent to prison"
    assert review["reviewRating"]["alternateName"] == "Hoax"
    assert (original["inLanguage"], original["claimReviewed"]) == ("id", "Golput atau tidak memilih bisa dipenjara")
    assert 'href="../../mengapa-memilih/"' in english     # links in the explanation lead to English pages
    listing = text((site / "en/cek-fakta/index.html").read_text(encoding="utf-8"))
    assert "Fact Checks" in listing and "Hoax : Not voting is not a crime." in listing
    assert "The claim that circulated: People who abstain from voting (golput) can be sent to prison" in listing


def test_dates_and_numbers_follow_the_language(site):
    indonesian = text((site / "index.html").read_text(encoding="utf-8"))
    english = text((site / "en/index.html").read_text(encoding="utf-8"))
    assert "Rabu, 14 Februari 2024" in indonesian and "204.807.222" in indonesian
    assert "Wednesday, 14 February 2024" in english and "204,807,222" in english
    assert "35 days to go until voting day" in english
    assert "Campaign period" in english and "Masa kampanye" not in english
    tickets = text((site / "en/paslon/index.html").read_text(encoding="utf-8"))
    assert "58.59" not in tickets   # no result before it is official (tests/test_results.py: after)
    schedule = text((site / "en/jadwal/index.html").read_text(encoding="utf-8"))
    assert "28 November 2023 to 10 February 2024" in schedule and "Under way" in schedule


def test_english_pages_link_to_english_pages(site):
    html = (site / "en/mengapa-memilih/index.html").read_text(encoding="utf-8")
    body = html[html.index("<main"):html.index("</main>")]
    assert 'href="../cara-mencoblos/"' in body and 'href="../jadwal/"' in body
    assert "Why Vote?" in body and "Mengapa" not in body
    ballots = text((site / "en/cara-mencoblos/index.html").read_text(encoding="utf-8"))
    for colour in ("Grey", "Yellow", "Red", "Blue", "Green"):
        assert f"{colour} :" in ballots


def test_no_interface_text_left_in_indonesian_on_english_pages(site):
    for page in (site / "en").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        chrome = html[:html.index("<main")] + html[html.index("</main>"):]
        for word in ("Langsung ke isi", "Menu utama", "Halaman panduan", "Sumber:", "sampai"):
            assert word not in chrome, f"{page}: '{word}'"


@pytest.fixture
def guide(tmp_path) -> Path:
    """The whole default guide, both languages, in a temp folder an editor can break."""
    return assemble(tmp_path / "guide")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return path.read_text(encoding="utf-8")[:path.read_text(encoding="utf-8").index(needle)].count("\n") + 1


def test_untranslated_page_and_field_are_warnings_with_file_and_line(guide):
    (guide / "content/pages/tentang.en.md").unlink()
    schedule = guide / "content/schedule.yaml"
    edit(schedule, "    title:\n      id: Masa tenang\n      en: Quiet period\n", "    title: Masa tenang\n")
    line = line_of(schedule, "title: Masa tenang")
    result = run_build(guide, "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert ("content/pages/tentang.md: warning: has no English translation\n"
            "   hint: create content/pages/tentang.en.md with the translated front matter and text") in result.stderr
    assert (f"content/schedule.yaml:{line}:12: warning: 'title' has no English text (en:)\n"
            "   hint: write it as 'title:' followed by indented lines 'id: ...' and 'en: ...'") in result.stderr
    page = (guide / "_site/en/tentang/index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page and '<div lang="id">' in page and "Tentang Panduan Ini" in page
    assert "Masa tenang" in (guide / "_site/en/jadwal/index.html").read_text(encoding="utf-8")
    strict = run_build(guide, "--now", NOW, "--strict")
    assert strict.returncode == 1
    assert "The guide was not built: 2 problems to fix." in strict.stderr
    assert "content/pages/tentang.md: has no English translation" in strict.stderr


def test_translation_problems_name_file_line_and_fix(guide):
    (guide / "content/pages/hilang.en.md").write_text("---\ntitle: Lost\nsummary: No original.\n---\nText.\n",
                                                      encoding="utf-8")
    edit(guide / "content/pages/tentang.en.md", "title: About This Guide\n", "title: About This Guide\norder: 3\n")
    schedule = guide / "content/schedule.yaml"
    edit(schedule, "      en: Quiet period", "      eng: Quiet period")
    line = line_of(schedule, "eng: Quiet period")
    result = run_build(guide, "--now", NOW)
    assert result.returncode == 1
    assert ("content/pages/hilang.en.md: is the English translation of content/pages/hilang.md, which does not exist\n"
            "   hint: create content/pages/hilang.md in Indonesian first, or rename this file") in result.stderr
    assert ("content/pages/tentang.en.md:3:1: 'order' is shared by every language of the page\n"
            "   hint: set it in content/pages/tentang.md, and remove it here") in result.stderr
    assert (f"content/schedule.yaml:{line}:7: title: 'eng' is not a language of the guide\n"
            "   hint: did you mean 'en'?") in result.stderr
    assert not (guide / "_site").exists()


def test_catalogue_problems(guide):
    english = guide / "i18n/en.yaml"
    edit(english, "  skip: Skip to content\n", "")
    edit(english, '  range: "{start} to {end}"', '  range: "{start} to {finish}"')
    range_line = line_of(english, "  range:")
    edit(guide / "templates/404.html", "t('not_found.home')", "t('not_found.homepage')")
    result = run_build(guide, "--now", NOW)
    assert result.returncode == 1
    skip_line = line_of(guide / "i18n/id.yaml", "  skip:")
    assert (f"i18n/en.yaml: warning: no English text for 'nav.skip' (i18n/id.yaml:{skip_line}); "
            "the Indonesian text is shown\n   hint: add 'nav.skip' to i18n/en.yaml") in result.stderr
    assert (f"i18n/en.yaml:{range_line}:10: 'dates.range' must use the same placeholders as i18n/id.yaml:"
            ) in result.stderr
    assert "   hint: placeholders there: {end}, {start}" in result.stderr
    assert ("templates/404.html:4: t('not_found.homepage') is not in i18n/id.yaml\n"
            "   hint: did you mean 'not_found.home'?") in result.stderr


def test_missing_key_falls_back_to_indonesian(guide):
    edit(guide / "i18n/en.yaml", "  skip: Skip to content\n", "")
    result = run_build(guide, "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "Langsung ke isi" in (guide / "_site/en/index.html").read_text(encoding="utf-8")


def test_interface_text_escapes_content_it_is_given(guide):
    edit(guide / "guide.yaml", "    en: 2024 General Election (Pemilu)", '    en: "2024 <b>General</b> Election"')
    result = run_build(guide, "--now", NOW)
    assert result.returncode == 0, result.stderr
    lead = (guide / "_site/en/partai/index.html").read_text(encoding="utf-8")
    assert "The 2024 &lt;b&gt;General&lt;/b&gt; Election has 18 national political parties" in lead


def test_placeholders_are_filled_without_attribute_or_item_access():
    """Even text that skipped the load-time check cannot reach into its values (str.format could:
    '{day.__new__.__globals__[os]...}' once published an environment variable)."""
    entries = {"id": {"ok": Entry("{{kurung}} <i>{who}</i> {day}", 1, 1),
                      "attribute": Entry("{day.__class__}", 2, 1), "item": Entry("{day[0]}", 3, 1)}}
    catalogues = Catalogues("id", entries)
    assert catalogues.translate("id", "ok", who="<b>", day=Markup("<time>1</time>")) == \
        "{kurung} &lt;i&gt;&lt;b&gt;&lt;/i&gt; <time>1</time>"
    assert catalogues.plain("id", "ok", who="<b>", day=1) == "{kurung} <i><b></i> 1"
    for key in ("attribute", "item"):
        with pytest.raises(BadBraces):
            catalogues.translate("id", key, day="x")


def test_catalogue_missing_a_key_the_engine_needs(guide):
    edit(guide / "i18n/id.yaml", "  schedule: Jadwal dan Tahapan\n", "")
    result = run_build(guide, "--now", NOW)
    assert result.returncode == 1
    assert ("i18n/id.yaml: 'title.schedule' is missing\n"
            "   hint: the engine needs it; add it (see the same key in another catalogue of i18n/)") in result.stderr


def test_untranslated_page_and_fact_check_keep_their_english_address_but_are_no_english_version(mini):
    """/en/tentang/ shows the Indonesian text in the English interface: readers keep a stable
    address, but search engines are told its canonical page is the Indonesian one, and no page
    or sitemap entry announces it as an English version."""
    (mini / "content/pages/tentang.en.md").unlink()
    (mini / "content/hoaxes/tps-didenda.en.md").unlink()
    result = run_build(mini, "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "content/hoaxes/tps-didenda.md: warning: has no English translation" in result.stderr
    site, base = mini / "_site", "https://mini.example"
    for english, original in (("en/tentang/", "tentang/"), ("en/cek-fakta/tps-didenda/", "cek-fakta/tps-didenda/")):
        shown = (site / english / "index.html").read_text(encoding="utf-8")
        indonesian = (site / original / "index.html").read_text(encoding="utf-8")
        assert '<html lang="en">' in shown and f'<link rel="canonical" href="{base}/{original}">' in shown
        assert head_links(shown) == head_links(indonesian) == []
        assert f'<link rel="canonical" href="{base}/{original}">' in indonesian
        # the switcher still leads both ways; it names a language only where the page is in it
        assert '<a class="language" href="' in indonesian and 'lang="en">English</a>' in indonesian
        assert 'lang="id" hreflang="id">Bahasa Indonesia</a>' in shown
    about = (site / "en/tentang/index.html").read_text(encoding="utf-8")
    assert '<div lang="id">\n<h1>Tentang</h1>' in about and "Skip to content" in about
    check = (site / "en/cek-fakta/tps-didenda/index.html").read_text(encoding="utf-8")
    assert '<p class="claim">The claim that circulated: <q lang="id">Pemilih yang tidak datang ke TPS didenda</q>' in check
    assert '<dd lang="id">grup percakapan uji</dd>' in check and '<div class="prose" data-pagefind-weight="0.5" lang="id">' in check
    review = claim_review(check)
    assert (review["inLanguage"], review["url"]) == ("id", f"{base}/cek-fakta/tps-didenda/")
    listing = (site / "en/cek-fakta/index.html").read_text(encoding="utf-8")
    assert '<h2 data-pagefind-weight="2"><a href="tps-didenda/"><span class="verdict verdict-hoaks">Hoax</span><span class="visually-hidden">:' \
        '</span> <span lang="id">' in listing
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{base}/en/tentang/</loc>" not in sitemap and f"{base}/en/tentang/" not in sitemap
    assert f"<url><loc>{base}/tentang/</loc></url>" in sitemap
    assert f"<url><loc>{base}/cek-fakta/tps-didenda/</loc><lastmod>2024-01-05</lastmod></url>" in sitemap
    assert f'hreflang="en" href="{base}/en/jadwal/"' in sitemap     # translated pages keep their pair
