"""The language switcher: a plain link, with or without JavaScript, to the same page in the other language."""
from __future__ import annotations

import pytest

from sites import NOW, REPO, run_build


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("switch") / "site"
    result = run_build(REPO, "--out", str(out), "--now", NOW, "--strict")
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("javascript", [True, False])
def test_switcher_goes_to_the_translation_and_back(browser, static_server, built, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    tab = context.new_page()
    base = static_server(built)
    tab.goto(base + "cara-mencoblos/")
    assert tab.locator("html").get_attribute("lang") == "id"
    assert tab.locator("h1").inner_text() == "Cara Mencoblos agar Suara Sah"

    tab.locator("a.language").click()
    tab.wait_for_url(base + "en/cara-mencoblos/")
    assert tab.locator("html").get_attribute("lang") == "en"
    assert tab.locator("h1").inner_text() == "How to Vote Validly"
    switch = tab.locator("a.language")
    assert switch.inner_text() == "Bahasa Indonesia" and switch.get_attribute("lang") == "id"

    switch.click()
    tab.wait_for_url(base + "cara-mencoblos/")
    assert tab.locator("html").get_attribute("lang") == "id"
    context.close()


def test_english_navigation_stays_in_english(page, static_server, built):
    base = static_server(built)
    page.goto(base + "en/")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Schedule").click()
    page.wait_for_url(base + "en/jadwal/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Schedule and Stages"
