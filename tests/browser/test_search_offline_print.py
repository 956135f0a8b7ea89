"""What only a browser shows: search finds the right page, key pages read offline, the printable guide is one sheet."""
from __future__ import annotations

import re

import pytest

import static_host


KEY_PAGES = {"": "Pemilihan Umum (Pemilu) 2024", "cara-mencoblos/": "Cara Mencoblos agar Suara Sah",
             "kenali-hoaks/": "Kenali Hoaks Politik", "lapor-hoaks/": "Lapor Hoaks dan Pelanggaran Pemilu"}


@pytest.fixture
def built(default_site):
    return default_site


def test_search_finds_the_right_page(page, static_server, built):
    page.goto(static_server(built) + "cari/")
    page.fill("#kata", "Gabthat")                  # a party only the parties page names
    page.click("button[type=submit]")
    first = page.locator("#hasil ol li a").first
    first.wait_for(timeout=10_000)
    assert first.get_attribute("href").endswith("/partai/")
    assert "1 hasil untuk “Gabthat”" in page.locator("#status-cari").inner_text()
    assert page.url.endswith("/cari/?q=Gabthat")
    page.goto(static_server(built) + "cari/?q=dipenjara")    # a shared search link runs the query
    page.locator("#hasil ol li a").first.wait_for(timeout=10_000)
    found = [a.get_attribute("href") for a in page.locator("#hasil ol li a").all()]
    assert "/cek-fakta/golput-dipenjara/" in found
    assert not page.locator("[data-search-fallback]").is_visible()


def test_english_search_finds_english_pages(page, static_server, built):
    page.goto(static_server(built) + "en/cari/?q=prison")      # words only the English fact check uses
    page.locator("#hasil ol li a").first.wait_for(timeout=10_000)
    found = [a.get_attribute("href") for a in page.locator("#hasil ol li a").all()]
    assert "/en/cek-fakta/golput-dipenjara/" in found and all(href.startswith("/en/") for href in found)
    assert "Results for “prison”" in page.locator("#status-cari").inner_text()


def test_search_page_without_javascript_lists_every_page(browser, static_server, built):
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(static_server(built) + "cari/?q=jadwal")
    assert tab.locator("[data-search-fallback]").is_visible()
    assert tab.locator(".all-pages a[href='../jadwal/']").is_visible()
    context.close()


def test_key_pages_read_offline_after_one_visit(browser, built):
    server = static_host.serve(built)
    base = static_host.base_url(server)
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(base)
        ready = tab.evaluate("""Promise.race([navigator.serviceWorker.ready.then(() => true),
            new Promise(resolve => setTimeout(() => resolve(false), 20000))])""")
        assert ready, "no service worker was installed"          # installed: the key pages are kept
        kept = tab.evaluate("""caches.keys().then(names => Promise.all(names.map(n => caches.open(n)
            .then(c => c.keys())))).then(lists => lists.flat().map(r => new URL(r.url).pathname))""")
        assert {"/" + path for path in KEY_PAGES} <= set(kept)
    finally:
        server.shutdown()          # the network is gone: nothing answers on that port any more
        server.server_close()
    context.set_offline(True)
    for path, title in KEY_PAGES.items():
        response = tab.goto(base + path)
        assert response.ok and response.from_service_worker
        assert tab.locator("h1").inner_text() == title
        colour = tab.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        assert colour == "rgb(138, 16, 32)", f"/{path}: the stylesheet did not load offline"
    context.close()


@pytest.mark.parametrize("path", ["cetak/", "en/cetak/"])
def test_printable_guide_is_one_page(page, static_server, built, path):
    page.goto(static_server(built) + path)
    pdf = page.pdf(prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.emulate_media(media="print")
    assert not page.locator(".site-footer").is_visible()
    assert not page.locator(".share").is_visible()
    assert page.locator(".ballots li").count() == 5
    assert "Ketua KPPS" in page.locator("main").inner_text()
