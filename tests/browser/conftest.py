"""Fixtures for the real-browser tests: JupyterLab servers and a Chromium page that may not
reach the internet. The helpers live in ``harness.py``; ``README.md`` explains them.

Without Chromium or Playwright these tests skip with a message saying how to enable them;
with ``CI=true`` in the environment a missing browser is a failure instead.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives JupyterLab in a real Chromium")


def require_browser() -> None:
    """Skip (or, under CI=true, fail) when Chromium or Playwright is missing."""
    reason = harness.missing_browser()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched once per test session through Playwright."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = harness.launch_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def jupyterlab():
    """A factory: ``jupyterlab(base_url="/", root_dir=ROOT, env={})`` starts a JupyterLab
    server (stopped after the test) and returns its :class:`harness.JupyterLab`."""
    require_browser()
    servers: list[harness.JupyterLab] = []

    def start(**kwargs) -> harness.JupyterLab:
        server = harness.JupyterLab(**kwargs).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def offline_page(browser):
    """A fresh browser page (1400x1000) whose non-loopback requests are all blocked.

    ``offline_page.blocked`` is the list of URLs it tried to fetch from outside.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    blocked = harness.block_external_requests(context)
    page = context.new_page()
    page.blocked = blocked
    yield page
    context.close()
