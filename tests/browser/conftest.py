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


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests, closed after the last of them.

    Playwright's sync API keeps an event loop running in this thread while it is open, and
    Django then keeps the thread's database connections apart from those it had before (as
    it does for async code; the tests' own ORM calls stay synchronous). Those connections
    are closed before the loop stops: left to the garbage collector, one could still be
    open when the test database is dropped. Scoped to this package, the tests after it run
    without the loop, as they would anywhere else.
    """
    if not CHROMIUM:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but no chromium executable was found")
        pytest.skip("no chromium executable: install Debian's chromium to run browser tests")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield browser
            finally:
                browser.close()
                connections.close_all()


# What the page did, kept for the report of a failed test: the console, each request the
# page sent or could not send, and the htmx events that decide whether a request is sent.
TRACE_HTMX = """
[
  "htmx:trigger", "htmx:beforeRequest", "htmx:afterRequest", "htmx:abort",
  "htmx:sendError", "htmx:responseError", "htmx:swapError", "htmx:oobErrorNoTarget",
].forEach(function (name) {
  document.addEventListener(name, function (event) {
    var target = event.target || {};
    var at = Math.round(performance.now());
    console.debug(at + " ms [" + name + "] " + (target.id || target.name || target.tagName));
  }, true);
});
document.addEventListener("change", function (event) {
  var target = event.target || {};
  var at = Math.round(performance.now());
  console.debug(at + " ms [change] " + (target.id || target.name || target.tagName));
}, true);
"""


@pytest.fixture
def new_page(browser, live_server, reference_data):
    """Open a fresh browser context (its own cookies) on the live server.

    The test fails if the browser refused anything under the Content-Security-Policy: a
    refused script or style may leave the page looking fine while something is missing.
    What the pages did is printed at the end, which pytest shows for a failed test.
    """
    contexts = []
    refusals = []
    trace = []

    def note(message):
        trace.append(f"console.{message.type}: {message.text}")
        if message.type == "error" and "Content Security Policy" in message.text:
            refusals.append(f"{message.location.get('url', '?')}: {message.text}")

    def open_page(path: str = "/"):
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.add_init_script(TRACE_HTMX)
        contexts.append(context)
        page = context.new_page()
        page.on("console", note)
        page.on("request", lambda request: trace.append(f"sent {request.method} {request.url}"))
        page.on(
            "requestfailed",
            lambda request: trace.append(f"failed {request.url}: {request.failure}"),
        )
        page.set_default_timeout(15_000)
        page.goto(path)
        return page

    yield open_page
    for context in contexts:
        context.close()
    print("What the browser did:", *trace, sep="\n  ")
    if refusals:
        pytest.fail("Content-Security-Policy refusals:\n" + "\n".join(refusals))
