"""WCAG 2.2 AA in real Chromium: axe-core finds nothing on any page type in either language,
the keyboard reaches everything (skip link first, visible focus, no trap), and targets
are at least 24x24 px."""
from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from sites import NOW, REPO, run_build

# One page of every type: built-in pages, Markdown pages with each data block, the updates page, the 404 page,
# the fact-check list and one fact check.
PAGE_TYPES = ["", "jadwal/", "partai/", "paslon/", "sumber/", "cara-mencoblos/", "lapor-hoaks/", "tentang/",
              "pembaruan/", "404.html", "cari/", "tanya-jawab/", "cetak/", "cek-fakta/", "cek-fakta/golput-dipenjara/"]
LANGUAGES = ["", "en/"]
WCAG_22_AA = {"runOnly": {"type": "tag", "values": [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}}
FOCUSABLE = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])'


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("a11y") / "site"
    result = run_build(REPO, "--out", str(out), "--now", NOW, "--strict")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def quiet(tmp_path_factory):
    """The guide in the quiet period: a banner on every page and the phase's message on the home page."""
    out = tmp_path_factory.mktemp("a11y-quiet") / "site"
    result = run_build(REPO, "--out", str(out), "--now", "2024-02-12T10:00+07:00", "--strict")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _report(results) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
                     for v in results.response["violations"])


@pytest.mark.parametrize(("lang", "path"), [(lang, path) for lang in LANGUAGES for path in PAGE_TYPES])
def test_axe_finds_no_violations_and_targets_are_24px(browser, static_server, built, axe, lang, path):
    """axe-core's WCAG 2.2 AA rules on the phone and desktop layouts; then every link and button
    is at least 24x24 px on the phone, except links inside a sentence (WCAG 2.5.8 'inline')."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.clock.set_fixed_time(dt.datetime.fromisoformat(NOW))     # read when built: no dated-copy notice
    tab.goto(static_server(built) + lang + path)
    for width in (1280, 360):
        tab.set_viewport_size({"width": width, "height": 800})
        results = axe.run(tab, options=WCAG_22_AA)
        assert results.violations_count == 0, f"/{lang}{path} at {width}px:\n{_report(results)}"
    assert tab.evaluate(SMALL_TARGETS) == [], f"/{lang}{path}: targets smaller than 24x24 px"
    tab.locator(".menu summary").click()     # the phone's folded menu, opened: its links count too
    header = tab.evaluate("""() => [...document.querySelectorAll('header a, header summary, .actions a')]
        .map(e => e.getBoundingClientRect()).map(r => [r.width, r.height])""")
    assert len(header) >= 10 and all(w >= 24 and h >= 24 for w, h in header), header
    results = axe.run(tab, options=WCAG_22_AA)
    assert results.violations_count == 0, f"/{lang}{path} at 360px, menu open:\n{_report(results)}"
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_violations_with_a_phase_banner_and_message(browser, static_server, quiet, axe, lang):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    tab = context.new_page()
    tab.clock.set_fixed_time(dt.datetime.fromisoformat("2024-02-12T10:00+07:00"))
    for path, banners, actions in (("", 0, 3), ("jadwal/", 1, 0)):   # home shows the message, others its banner
        tab.goto(static_server(quiet) + lang + path)
        assert tab.locator(".banner").count() == banners and tab.locator(".message .actions a").count() == actions
        results = axe.run(tab, options=WCAG_22_AA)
        assert results.violations_count == 0, f"/{lang}{path} in the quiet period:\n{_report(results)}"
        assert tab.evaluate(SMALL_TARGETS) == [], f"/{lang}{path}: targets smaller than 24x24 px"
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_keyboard_skip_link_first_then_main(page, static_server, built, lang):
    page.goto(static_server(built) + lang + "jadwal/")
    page.keyboard.press("Tab")
    skip = page.evaluate("({cls: document.activeElement.className, text: document.activeElement.textContent,"
                         " top: document.activeElement.getBoundingClientRect().top})")
    assert skip["cls"] == "skip" and skip["top"] >= 0, skip    # focused and on screen, not hidden away
    assert skip["text"] == {"": "Langsung ke isi", "en/": "Skip to content"}[lang]
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "isi"
    page.keyboard.press("Tab")   # the next stop is inside main, past the header
    assert page.evaluate("document.getElementById('isi').contains(document.activeElement)")


@pytest.mark.parametrize("path", ["", "en/lapor-hoaks/", "paslon/"])
def test_tab_reaches_every_control_in_order_with_visible_focus(page, static_server, built, path):
    page.goto(static_server(built) + path)
    count = page.evaluate(f"""() => {{
        const all = [...document.querySelectorAll('{FOCUSABLE}')].filter(e => e.getClientRects().length);
        all.forEach((e, i) => e.dataset.stop = i);
        return all.length;
    }}""")
    assert count > 10
    for expected in range(count):
        page.keyboard.press("Tab")
        focus = page.evaluate("""() => {
            const e = document.activeElement, s = getComputedStyle(e);
            return {stop: e.dataset.stop, outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                    shadow: s.boxShadow};
        }""")
        assert focus["stop"] == str(expected), f"/{path}: Tab {expected + 1} went to stop {focus['stop']}"
        assert focus["outline"] != "none" and focus["width"] >= 2 and focus["shadow"] != "none", focus
    page.keyboard.press("Tab")   # past the last control focus leaves the page: nothing traps it
    assert page.evaluate("document.activeElement.dataset.stop") in (None, "0")


SMALL_TARGETS = f"""() => [...document.querySelectorAll('{FOCUSABLE}')]
    .filter(e => e.getClientRects().length && e.className !== 'skip')
    .map(e => {{
        const r = e.getBoundingClientRect();
        let block = e.parentElement;
        while (getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
        const inSentence = block.textContent.trim() !== e.textContent.trim();
        return {{text: e.textContent.trim(), width: r.width, height: r.height, inSentence}};
    }})
    .filter(t => (t.width < 24 || t.height < 24) && !t.inSentence)"""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_colour_is_never_alone(page, static_server, built, lang):
    page.goto(static_server(built) + lang + "cara-mencoblos/")
    ballots = page.locator(".ballots li").all_inner_texts()
    names = {"": ["Abu-abu", "Kuning", "Merah", "Biru", "Hijau"], "en/": ["Grey", "Yellow", "Red", "Blue", "Green"]}
    assert [text.split(":")[0].strip() for text in ballots] == names[lang]
    page.goto(static_server(built) + lang + "jadwal/")
    badges = {page.locator(f".stage-{status} .badge").first.inner_text() for status in ("done", "now", "upcoming")}
    assert len(badges) == 3 and all(badge.strip() for badge in badges)


@pytest.mark.parametrize(("lang", "shown"), [("", "Sumber: KPU, PKPU 3/2022"), ("en/", "Source: KPU, KPU Regulation 3/2022")])
def test_source_links_of_one_publisher_name_their_document(page, static_server, built, lang, shown):
    """Everyone, eye or screen reader, reads which of KPU's documents a source link opens."""
    page.clock.set_fixed_time(dt.datetime.fromisoformat(NOW))   # read when built: the phase's messages show
    page.goto(static_server(built) + lang)
    link = page.get_by_role("link", name=shown, exact=True).first
    assert link.get_attribute("href") == "sumber/#pkpu-3-2022"
    assert link.inner_text() == shown and link.is_visible()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_axe_finds_no_violations_on_an_old_copy(browser, static_server, built, axe, lang):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    tab = context.new_page()
    tab.clock.set_fixed_time(dt.datetime.fromisoformat("2024-03-01T10:00+07:00"))   # read weeks after it was built
    tab.goto(static_server(built) + lang)
    assert tab.locator("#salinan-lama").is_visible()
    results = axe.run(tab, options=WCAG_22_AA)
    assert results.violations_count == 0, f"/{lang} read as an old copy:\n{_report(results)}"
    assert tab.evaluate(SMALL_TARGETS) == [], f"/{lang}: targets smaller than 24x24 px"
    context.close()
