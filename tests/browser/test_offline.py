"""Offline that helps on a slow network too: the service worker answers from its copy when the
network is slow or gone, keeps every page of the reader's language, says when a page is not
kept, and replaces a kept site as a whole when the site changes."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

import static_host
from sites import NOW, assemble, run_build


class Site:
    """A built site on a loopback port, whose folder and answer delay a test may change."""

    def __init__(self, folder: Path):
        self.folder, self.delay = folder, 0.0
        site = self

        class Handler(static_host.QuietHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **{**kwargs, "directory": str(site.folder)})   # as the test set it

            def do_GET(self):
                if site.delay and not self.path.startswith("/sw.js"):
                    time.sleep(site.delay)
                super().do_GET()

        self.server = static_host.serve(folder, Handler)
        self.base = static_host.base_url(self.server)

    def stop(self):
        """The network is gone: nothing answers on that port any more."""
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site(default_site):
    served = Site(default_site)
    yield served
    served.stop()


def kept(tab) -> set[str]:
    return set(tab.evaluate("""caches.keys().then(names => Promise.all(names.map(n => caches.open(n)
        .then(c => c.keys())))).then(lists => lists.flat().map(r => new URL(r.url).pathname))"""))


def first_visit(tab, url: str, expected: set[str]) -> None:
    """Open a page and wait until the service worker has kept `expected` (site paths)."""
    tab.goto(url)
    ready = tab.evaluate("""Promise.race([navigator.serviceWorker.ready.then(() => true),
        new Promise(resolve => setTimeout(() => resolve(false), 20000))])""")
    assert ready, "no service worker was installed"
    for _ in range(100):
        if expected <= kept(tab):
            return
        tab.wait_for_timeout(200)
    assert expected <= kept(tab), sorted(expected - kept(tab))


INDONESIAN = {"/", "/jadwal/", "/partai/", "/paslon/", "/tanya-jawab/", "/cek-fakta/golput-dipenjara/", "/jadwal.ics",
              "/luring.html", "/en/luring.html"}


def test_every_page_of_the_readers_language_reads_offline_and_others_say_they_are_not_kept(browser, site):
    context = browser.new_context()
    tab = context.new_page()
    first_visit(tab, site.base, INDONESIAN)
    assert "/en/partai/" not in kept(tab)          # English was never read: not kept
    site.stop()
    for path, title in [("jadwal/", "Jadwal dan Tahapan"), ("partai/", "Partai Politik Peserta"),
                        ("cek-fakta/golput-dipenjara/", None)]:
        response = tab.goto(site.base + path)
        assert response.ok and response.from_service_worker
        if title:
            assert tab.locator("h1").inner_text() == title
        notice = " ".join(tab.locator("#salinan-luring").inner_text().split())
        assert re.fullmatch(r"Ini salinan offline yang tersimpan pada \d+ \w+ \d{4} (pukul )?\d\d[.:]\d\d; jaringan "
                            r"sedang lambat atau terputus\. Muat ulang halaman", notice), notice
        colour = tab.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        assert colour == "rgb(138, 16, 32)", f"/{path}: the stylesheet did not load offline"
    response = tab.goto(site.base + "en/partai/")   # never kept: the offline page says so, in English
    assert response.status == 503 and response.from_service_worker
    assert tab.locator("h1").inner_text() == "Page not saved"
    assert tab.locator("main a[href='/en/jadwal/']").count() == 1
    assert not tab.locator("#salinan-luring").is_visible()
    context.close()


def test_a_slow_network_gets_the_kept_copy_then_the_fresh_one(browser, site):
    context = browser.new_context()
    tab = context.new_page()
    first_visit(tab, site.base, INDONESIAN)
    tab.goto(site.base + "jadwal/")
    assert not tab.locator("#salinan-luring").is_visible()     # fresh from the network: no notice
    site.delay = 25                                             # every answer now takes 25 s
    tab.goto(site.base + "jadwal/", timeout=15_000)             # the kept copy, after about 3 s
    assert tab.locator("h1").inner_text() == "Jadwal dan Tahapan"
    assert tab.locator("#salinan-luring").is_visible()
    assert tab.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") == \
        "rgb(138, 16, 32)"                                      # the stylesheet from the cache at once
    context.close()


def test_an_update_of_the_site_is_taken_as_a_whole(browser, default_site, tmp_path):
    root = assemble(tmp_path / "guide")
    css = root / "static/css/site.css"
    css.write_text(css.read_text(encoding="utf-8").replace("#8a1020", "#1b4d8a"), encoding="utf-8")
    newer = tmp_path / "newer"
    assert run_build(root, "--out", str(newer), "--now", NOW).returncode == 0
    later = time.time() + 5     # published after the kept copy: a worker's update check gets 200, not 304
    for file in newer.rglob("*"):
        os.utime(file, (later, later))
    site = Site(default_site)
    stopped = False
    context = browser.new_context()
    try:
        tab = context.new_page()
        first_visit(tab, site.base, INDONESIAN)
        old_css = tab.locator("link[rel=stylesheet]").get_attribute("href")
        site.folder = newer                                     # the site is published again, restyled
        tab.goto(site.base + "partai/")
        new_css = tab.locator("link[rel=stylesheet]").get_attribute("href")
        assert new_css != old_css
        assert tab.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") == \
            "rgb(27, 77, 138)"
        version = re.search(r'const VERSION = "(\w+)"', (newer / "sw.js").read_text()).group(1)
        for _ in range(100):                                    # the new worker took over and dropped the old copy
            if tab.evaluate("caches.keys()") == [f"panduan-{version}"]:
                break
            tab.wait_for_timeout(200)
        assert tab.evaluate("caches.keys()") == [f"panduan-{version}"]
        for path in ("", "jadwal/", "lapor-hoaks/"):            # online: new pages with the new stylesheet
            tab.goto(site.base + path)
            assert tab.locator("link[rel=stylesheet]").get_attribute("href").endswith(new_css.rsplit("/", 1)[-1])
            assert tab.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") == \
                "rgb(27, 77, 138)", f"/{path}: old HTML or old CSS after the update"
        for _ in range(100):                                    # the new copy is kept whole...
            if INDONESIAN <= kept(tab):
                break
            tab.wait_for_timeout(200)
        assert INDONESIAN <= kept(tab), sorted(INDONESIAN - kept(tab))
        site.stop()
        stopped = True
        for path in ("", "partai/", "tanya-jawab/"):            # ...and offline it is the new one, never the old
            tab.goto(site.base + path)
            assert tab.locator("link[rel=stylesheet]").get_attribute("href").endswith(new_css.rsplit("/", 1)[-1])
            assert tab.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") == \
                "rgb(27, 77, 138)", f"/{path} offline: old HTML or old CSS after the update"
    finally:
        if not stopped:
            site.stop()
    context.close()
