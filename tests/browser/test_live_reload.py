"""Live reload in a real browser: an edit shows up by itself, a bad edit shows the problem overlay."""
from __future__ import annotations

import re

import pytest

from live import Live
from sites import assemble

from panduan import serve


@pytest.fixture
def served(tmp_path):
    root = assemble(tmp_path / "guide")
    live = Live(root, tmp_path / "out")
    assert live.session.outcome.ok
    server = serve.start(live.session, "127.0.0.1", 0)
    yield live, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    live.close()


@pytest.mark.parametrize("shared", [True, False], ids=["shared worker", "stream of its own"])
def test_edit_reloads_and_a_yaml_error_shows_the_overlay(page, served, shared):
    live, base = served
    if not shared:   # browsers without SharedWorker (or with it blocked) keep a stream per tab
        page.add_init_script("delete window.SharedWorker")
    page.add_init_script("""window.__violations = []; document.addEventListener("securitypolicyviolation",
        event => window.__violations.push(event.violatedDirective + " " + event.blockedURI));""")
    page.goto(base + "tentang/")
    assert page.locator("h1").inner_text() == "Tentang Panduan Ini"
    page.wait_for_function("document.querySelector('script[src=\"/__panduan/live.js\"]') !== null")
    assert page.evaluate("typeof window.SharedWorker") == ("function" if shared else "undefined")

    source = live.root / "content/pages/tentang.md"
    source.write_text(source.read_text().replace("title: Tentang Panduan Ini", "title: Tentang Panduan Kami"))
    page.locator("h1", has_text="Tentang Panduan Kami").wait_for(timeout=15000)

    settings = live.root / "guide.yaml"
    good = settings.read_text()
    settings.write_text(good.replace("timezone:", "timezone: [rusak\n", 1))
    overlay = page.locator("#panduan-problems")
    overlay.wait_for(timeout=15000)
    assert overlay.get_attribute("role") == "alert"
    first = overlay.locator("li").first
    assert re.fullmatch(r"guide\.yaml:\d+(:\d+)?", first.locator("code").inner_text())
    assert "YAML syntax error" in overlay.inner_text()
    # the preview's own script and overlay work under the built page's Content-Security-Policy
    assert overlay.evaluate("box => getComputedStyle(box).position") == "fixed"
    assert page.evaluate("window.__violations") == []
    assert page.locator("h1").inner_text() == "Tentang Panduan Kami"   # the last good page stays

    settings.write_text(good)
    overlay.wait_for(state="detached", timeout=15000)
    assert page.locator("h1").inner_text() == "Tentang Panduan Kami"
    assert page.locator("#panduan-problems").count() == 0


def test_many_tabs_share_one_connection_and_all_follow_an_edit(page, served):
    """A browser opens six connections to a server at most: with a stream per tab, a seventh
    tab would never load. Ten tabs of one browser all load, and all reload after an edit."""
    live, base = served
    tabs = [page] + [page.context.new_page() for _ in range(9)]
    for tab in tabs:
        tab.goto(base + "tentang/", timeout=10000)
        assert tab.locator("h1").inner_text() == "Tentang Panduan Ini"
    late = page.context.new_page()   # an eleventh, after ten are listening
    late.goto(base + "jadwal/", timeout=10000)
    source = live.root / "content/pages/tentang.md"
    source.write_text(source.read_text().replace("title: Tentang Panduan Ini", "title: Tentang Panduan Kami"))
    for tab in tabs:
        tab.locator("h1", has_text="Tentang Panduan Kami").wait_for(timeout=15000)
