"""Real-browser tests: Playwright drives the system's Chromium against a live test server.

Without Chromium these tests are skipped, unless REQUIRE_BROWSER is set (as CI does), in
which case they fail: CI must never pass by skipping them.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but no chromium executable was found")
        pytest.skip("no chromium executable: install Debian's chromium to run browser tests")
    # Playwright's sync API runs an event loop in this thread; the live server's database
    # work happens in its own thread, and the test's own ORM calls are synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server, reference_data):
    """Open a fresh browser context (its own cookies) on the live server.

    The test fails if the browser refused anything under the Content-Security-Policy: a
    refused script or style may leave the page looking fine while something is missing.
    """
    contexts = []
    refusals = []

    def note_refusal(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            refusals.append(f"{message.location.get('url', '?')}: {message.text}")

    def open_page(path: str = "/"):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.on("console", note_refusal)
        page.set_default_timeout(15_000)
        page.goto(path)
        return page

    yield open_page
    for context in contexts:
        context.close()
    if refusals:
        pytest.fail("Content-Security-Policy refusals:\n" + "\n".join(refusals))
