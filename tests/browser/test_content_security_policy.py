"""The Content-Security-Policy every page carries: the guide's own files satisfy it on every kind
of page (search and offline reading included), and a script that got into a page anyway, inline
or from another site, is blocked and reported."""
from __future__ import annotations

import shutil

import pytest

# Every kind of page: home, data pages, a Markdown page with data blocks, fact checks, updates,
# search, the page for unknown addresses, and the English versions.
PAGES = ("", "jadwal/", "partai/", "paslon/", "sumber/", "cara-mencoblos/", "cek-fakta/",
         "cek-fakta/golput-dipenjara/", "pembaruan/", "cari/?q=jadwal", "404.html", "en/", "en/jadwal/",
         "en/cari/?q=schedule")
# Seen by a listener added before any of the page's own scripts run.
WATCH = """window.__violations = [];
document.addEventListener("securitypolicyviolation",
  event => window.__violations.push(event.violatedDirective + " " + event.blockedURI));"""


@pytest.fixture
def watched(browser):
    """A tab that records every CSP violation, from events and from the console."""
    context = browser.new_context()
    context.add_init_script(WATCH)
    tab = context.new_page()
    tab.console_messages = []
    tab.on("console", lambda message: tab.console_messages.append(message.text))
    yield tab
    context.close()


def violations(tab) -> list[str]:
    reported = tab.evaluate("window.__violations")
    said = [text for text in tab.console_messages if "Content Security Policy" in text]
    return reported + said


def test_every_kind_of_page_works_under_its_policy(watched, static_server, default_site):
    base = static_server(default_site)
    for path in PAGES:
        watched.goto(base + path)
        assert watched.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, path
        if path.startswith(("cari/", "en/cari/")):   # search runs Pagefind (script and WebAssembly)
            watched.locator("#hasil ol li a").first.wait_for(timeout=10_000)
        if path == "":   # the countdown script ran, the JSON-LD is there and is not script
            assert watched.locator("#hitung-mundur").inner_text().strip()
            assert watched.locator('script[type="application/ld+json"]').count() >= 1
        watched.wait_for_load_state("networkidle")
        assert violations(watched) == [], path
    ready = watched.evaluate("""Promise.race([navigator.serviceWorker.ready.then(() => true),
        new Promise(resolve => setTimeout(() => resolve(false), 20000))])""")
    assert ready, "the offline service worker did not install under the policy"
    assert violations(watched) == []


def test_a_script_that_got_into_a_page_is_blocked_and_reported(watched, static_server, default_site, tmp_path):
    site = shutil.copytree(default_site, tmp_path / "site")
    page = site / "jadwal/index.html"
    html = page.read_text(encoding="utf-8")
    injected = ('<script>window.ranInline = true;</script>'
                '<script src="https://scripts.invalid/steal.js"></script>'
                '<p id="gaya" style="color: red">x</p>')
    page.write_text(html.replace("</main>", injected + "</main>"), encoding="utf-8")
    watched.goto(static_server(site) + "jadwal/")
    watched.wait_for_load_state("networkidle")
    assert watched.evaluate("window.ranInline") is None
    reported = watched.evaluate("window.__violations")
    assert "script-src-elem inline" in reported
    assert "script-src-elem https://scripts.invalid/steal.js" in reported
    assert "style-src-attr inline" in reported
    assert watched.evaluate("getComputedStyle(document.getElementById('gaya')).color") != "rgb(255, 0, 0)"


def test_search_without_web_workers_runs_its_webassembly_in_the_page(browser, static_server, default_site):
    """Where Pagefind cannot start a worker it runs in the page itself, where the policy applies:
    that is why it allows 'wasm-unsafe-eval' (WebAssembly only, never JavaScript eval)."""
    context = browser.new_context()
    context.add_init_script("delete window.Worker;" + WATCH)
    tab = context.new_page()
    tab.goto(static_server(default_site) + "cari/?q=jadwal")
    tab.locator("#hasil ol li a").first.wait_for(timeout=10_000)
    assert tab.evaluate("window.__violations") == []
    context.close()
