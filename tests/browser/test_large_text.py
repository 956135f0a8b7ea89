"""Large text on a small phone: with the root font at 200% (Android's large text) no page of
the guide, in either language, scrolls sideways at 320 or 360 px, and the menu folds into one
button that opens without JavaScript."""
from __future__ import annotations

from pathlib import Path

import pytest

LARGE_TEXT = "\nhtml { font-size: 200%; }"


def every_page(site: Path) -> list[str]:
    pages = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html"))
    return ["" if path == "./" else path for path in pages] + ["404.html", "luring.html", "en/404.html"]


def large_text_tab(browser, width: int):
    """A phone without JavaScript whose stylesheet is read with the root font at 200%."""
    context = browser.new_context(viewport={"width": width, "height": 740}, java_script_enabled=False)

    def enlarge(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + LARGE_TEXT)

    context.route("**/*.css", enlarge)
    return context, context.new_page()


WIDER_THAN = """width => [...document.querySelectorAll('body *')]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + .5)
    .slice(0, 3).map(e => e.tagName + ' ' + e.textContent.trim().slice(0, 40))"""


@pytest.mark.parametrize("width", [320, 360])
@pytest.mark.parametrize("when", ["campaign", "voting day"])
def test_no_page_scrolls_sideways_at_200_percent_text(browser, static_server, default_site, voting_day_site, when, width):
    site = {"campaign": default_site, "voting day": voting_day_site}[when]
    base = static_server(site)
    context, tab = large_text_tab(browser, width)
    wide = {}
    pages = every_page(site)
    assert "en/partai/" in pages and "cek-fakta/golput-dipenjara/" in pages and len(pages) > 40
    for path in pages:
        tab.goto(base + path)
        assert tab.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == 32
        scroll = tab.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            wide[path] = (scroll, tab.evaluate(WIDER_THAN, width))
    context.close()
    assert wide == {}, f"pages wider than {width}px at 200% text: {wide}"


@pytest.mark.parametrize("lang", ["", "en/"])
def test_the_menu_folds_at_large_text_and_opens_without_javascript(browser, static_server, default_site, lang):
    context, tab = large_text_tab(browser, 360)
    tab.goto(static_server(default_site) + lang + "jadwal/")
    header = tab.locator(".site-header")
    assert header.bounding_box()["height"] < 740 / 2, "the header takes half the screen"
    links = tab.locator(".site-header nav a")
    assert links.count() == 9 and not links.first.is_visible()
    tab.locator(".menu summary").click()
    assert all(link.is_visible() for link in links.all())
    sizes = [link.bounding_box() for link in links.all()]
    assert all(box["width"] >= 24 and box["height"] >= 24 for box in sizes), sizes
    assert tab.evaluate("document.documentElement.scrollWidth") <= 360
    assert tab.locator(".site-header nav [aria-current=page]").count() == 1
    context.close()


def test_the_menu_is_open_with_no_button_on_a_wide_screen(browser, static_server, default_site):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    tab = context.new_page()
    tab.goto(static_server(default_site))
    assert not tab.locator(".menu summary").is_visible()
    links = tab.locator(".site-header nav a")
    assert links.count() == 9 and all(link.is_visible() for link in links.all())
    context.close()
