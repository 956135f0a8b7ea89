"""What only a browser shows: the guide fits a 360 px phone and reads without JavaScript."""
from __future__ import annotations

import pytest


PAGES = ["", "jadwal/", "partai/", "paslon/", "cara-mencoblos/", "kenali-hoaks/", "lapor-hoaks/",
         "tanya-jawab/", "sumber/"]


@pytest.fixture
def built(default_site):
    return default_site


@pytest.mark.parametrize("path", PAGES)
def test_fits_a_360px_phone_without_javascript(browser, static_server, built, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    tab = context.new_page()
    response = tab.goto(static_server(built) + path)
    assert response.status == 200
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"/{path} is {width}px wide on a 360px screen"
    assert tab.locator("h1").count() == 1
    assert tab.locator("main").is_visible()
    assert tab.locator("h1").is_visible()
    context.close()
