"""The search page on a phone: results arrive without moving what is on the screen (cumulative
layout shift measured by Chromium's own PerformanceObserver), their numbers line up with the list
of pages, and without JavaScript the form still searches the site (DuckDuckGo, this site only)."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from sites import NOW

# Chromium's layout-shift entries, summed as Lighthouse's CLS does (shifts right after input excluded).
MEASURE_SHIFTS = """
window.__shift = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 740}, {"width": 1280, "height": 800}])
@pytest.mark.parametrize(("lang", "query"), [("", "golput"), ("en/", "prison")])
def test_results_arrive_without_moving_the_page(browser, static_server, default_site, viewport, lang, query):
    context = browser.new_context(viewport=viewport, service_workers="block")
    context.add_init_script(MEASURE_SHIFTS)
    tab = context.new_page()
    tab.clock.set_fixed_time(dt.datetime.fromisoformat(NOW))     # read when built: no dated-copy notice on top
    tab.goto(static_server(default_site) + lang + "cari/?q=" + query)
    tab.locator("#hasil ol li a").first.wait_for(timeout=10_000)
    tab.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    shift = tab.evaluate("window.__shift")
    assert shift < 0.01, f"cumulative layout shift {shift:.3f} on /{lang}cari/?q={query}"
    assert not tab.locator("#daftar-halaman").is_visible()      # the results stand in for the list of pages
    tab.fill("#kata", "")                                        # an empty field brings the list back
    tab.locator("#daftar-halaman").wait_for(state="visible", timeout=5_000)
    context.close()


def test_result_numbers_line_up_with_the_list_of_pages(browser, static_server, default_site):
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    tab = context.new_page()
    tab.goto(static_server(default_site) + "cari/")
    listed = tab.locator(".all-pages > li").first.bounding_box()["x"]
    tab.fill("#kata", "pemilu")
    tab.locator("#hasil ol li").first.wait_for(timeout=10_000)
    results = [item.bounding_box()["x"] for item in tab.locator("#hasil ol > li").all()]
    assert len(results) == 10 and set(results) == {listed}, (results, listed)   # "10." fits too
    main_left = tab.locator("main").bounding_box()["x"]
    marker = tab.evaluate("""() => { const li = document.querySelector('#hasil ol > li:last-child');
        const probe = document.createElement('span'); probe.textContent = '10.';
        document.body.appendChild(probe); const width = probe.getBoundingClientRect().width; probe.remove();
        return li.getBoundingClientRect().left - width; }""")
    assert marker >= main_left + 16, "the numbers stick out of the page's margin"
    context.close()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_without_javascript_the_form_searches_this_site(browser, static_server, default_site, lang):
    context = browser.new_context(java_script_enabled=False)
    asked = []

    def search_engine(route):
        asked.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>results</title>")

    context.route("https://duckduckgo.com/**", search_engine)
    tab = context.new_page()
    tab.goto(static_server(default_site) + lang + "cari/")
    assert tab.locator("[data-search-fallback]").is_visible()
    assert not tab.locator("#status-cari").is_visible()
    tab.fill("#kata", "golput")
    tab.click("button[type=submit]")
    tab.wait_for_url("https://duckduckgo.com/**")
    query = parse_qs(urlsplit(asked[0]).query)
    assert query == {"sites": ["panduan-pemilu.example"], "q": ["golput"]}
    context.close()
