"""Real-browser fixtures: Playwright driving Debian's Chromium (/usr/bin/chromium).

Playwright's own browser downloads are never used; tests/setup.sh installs
Debian's package. A missing browser is a failure, not a skip, so CI cannot
pass without running these tests. Every test here is marked `browser`, so
`pytest -m "not browser"` runs the rest of the suite without Chromium.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

import static_host

CHROMIUM = os.environ.get("PANDUAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Mark every test in this folder `browser` (the hook sees the whole session's items)."""
    for item in items:
        if HERE in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run tests/setup.sh (installs Debian's chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def static_server():
    """Serve a built site folder on a free loopback port; yields a function folder -> base URL."""
    servers = []

    def serve(folder: Path) -> str:
        server = static_host.serve(folder)
        servers.append(server)
        return static_host.base_url(server)

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()
