"""'Add to home screen' gets a proper icon: Chromium reads each language's web app manifest
without errors, its PNG icons are the sizes it says, and pages link an Apple touch icon; the
committed icons are exactly what panduan/app_icon.py draws."""
from __future__ import annotations

import pytest

from panduan.app_icon import SIZES, icon_png
from sites import REPO

NATURAL_SIZE = """src => new Promise(done => { const image = new Image();
    image.onload = () => done([image.naturalWidth, image.naturalHeight]); image.onerror = () => done(null);
    image.src = src; })"""


@pytest.mark.parametrize(("lang", "name"), [("", "Panduan Pemilu 2024"), ("en/", "Election Guide 2024 (Panduan Pemilu)")])
def test_chromium_reads_the_manifest_and_its_icons(browser, static_server, default_site, lang, name):
    context = browser.new_context(service_workers="block")
    tab = context.new_page()
    base = static_server(default_site)
    tab.goto(base + lang + "jadwal/")
    manifest = context.new_cdp_session(tab).send("Page.getAppManifest")
    assert manifest["url"] == base + lang + "manifest.webmanifest"
    assert manifest["errors"] == [], manifest["errors"]
    read = manifest["manifest"]                          # as Chromium understood it
    assert (read["name"], read["startUrl"], read["scope"]) == (name, base + lang, base + lang)
    assert read["display"] == "kStandalone" and read["themeColor"] == "rgba(138,16,32,1)"
    icons = [(icon["url"], icon["sizes"]) for icon in read["icons"] if icon["type"] == "image/png"]
    assert [sizes for _, sizes in icons] == ["192x192", "512x512"]
    for src, sizes in icons:
        assert tab.evaluate(NATURAL_SIZE, src) == [int(n) for n in sizes.split("x")], src
    touch = tab.locator("link[rel=apple-touch-icon]").evaluate("link => link.href")
    assert tab.evaluate(NATURAL_SIZE, touch) == [180, 180]
    context.close()


@pytest.mark.parametrize("size", SIZES)
def test_the_committed_icons_are_what_the_code_draws(size):
    drawn = icon_png(size)
    assert (REPO / "static" / "img" / f"ikon-{size}.png").read_bytes() == drawn, \
        "static/img is out of date: run python3 -m panduan.app_icon and commit the PNGs"
    assert icon_png(size) == drawn                      # the same size, the same bytes
