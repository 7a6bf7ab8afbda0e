"""Every kind of page, at a phone's width (390 px) and at a desktop's, in English and in
French: nothing makes the page scroll sideways, and axe-core finds no critical or serious
accessibility problem.

axe-core comes from npm (package.json) into static/vendor/axe.min.js with `make install`;
without it only the widths are checked and the tests then skip, or they fail when
REQUIRE_BROWSER is set (as CI does). The pages come from tests/test_page_languages.py's
list, on one data set and one live server for the whole module, with one browser page per
language and person.
"""

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.templatetags.static import static
from django.test import Client, override_settings
from django.test.utils import setup_databases, teardown_databases
from django.urls import reverse

from accounts.models import Membership
from opendata.releases.services import release_make
from ssdc_portal.languages import path_in_language
from tests.factories import (
    InvitationFactory,
    MembershipFactory,
    ModeratorFactory,
    brazil_with_context,
    initiative_with_every_row,
    learning_around,
    load_reference_data,
    reports_in_each_state,
)
from tests.test_page_languages import PAGES, Page, World

AXE = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LANGUAGES = {"en": "en-GB", "fr": "fr-FR"}  # the page's language, the browser's locale
SERIOUS = {"critical", "serious"}


@dataclass
class Site(World):
    reports: list


# One page of each layout: the pages left out of tests/test_page_languages.py's list share
# their templates with one of these (the other password and message pages, the new
# initiative form, the API tokens page, the admin's index).
CHECKED = {
    name: PAGES[name]
    for name in [
        "home",
        "initiative list",
        "initiative list, filtered and searched",
        "initiative detail",
        "country profile",
        "organisation profile",
        "country index",
        "organisation index",
        "principles matrix",
        "dashboard",
        "modality vocabulary",
        "sign in",
        "not found (404)",
        "editor's dashboard",
        "initiative edit form",
        "initiative preview",
        "team",
        "report list",
        "moderation queue",
        "initiative list in the admin",
        "initiative change form",
        "practice index",
        "practice page",
        "practice proposal form",
        "exchange",
        "exchange listing",
        "new exchange listing form",
        "organisation's listings",
        "messages",
        "contact form",
        "evidence to confirm",
        "open data",
        "civic-space ratings import",
        "IATI namespace",
        "IATI file not built yet",
        "import page",
        "dataset releases",
        "dataset release",
        "data dictionary",
        "initiative version",
        "withdrawn initiative (410)",
    ]
} | {
    "report status": Page(
        "editor", lambda site: reverse("report-detail", args=[site.reports[0].pk])
    ),
    "API docs": Page(None, lambda site: reverse("api-docs")),
}
# Pages their own script draws: what shows that it has finished.
DRAWN = {"API docs": "#swagger-ui .info"}
# Known failures, each with the work that will remove it.
NOT_YET = {}


# Where the page grows wider than the window: the elements that reach past its right edge
# while their parent does not, unless a scrolling or clipping box holds them.
OVERFLOW_SCRIPT = """() => {
  const limit = document.documentElement.clientWidth;
  const past = el => el.getBoundingClientRect().right > limit + 0.5;
  const held = el => {
    if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') return true;
    }
    return false;
  };
  const found = new Map();
  for (const el of document.body.querySelectorAll('*')) {
    if (past(el) && !past(el.parentElement) && !held(el)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + [...el.classList].map(c => '.' + c).join('');
      const right = Math.round(el.getBoundingClientRect().right);
      found.set(name, Math.max(found.get(name) || 0, right));
    }
  }
  return [...found].slice(0, 10).map(([name, right]) => `${name} reaches ${right} px`);
}"""

AXE_SCRIPT = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
  }));
}"""


@contextmanager
def isolated_database():
    """The test database, set up here when no other test of the session asked for it (as
    when this module runs alone: its tests use no database fixture, so that the records
    stay from one test to the next)."""
    name = connection.settings_dict["NAME"]
    if name.startswith(TEST_DATABASE_PREFIX) or name == connection.settings_dict["TEST"]["NAME"]:
        yield
        return
    databases = setup_databases(verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS})
    try:
        yield
    finally:
        teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """One data set and one live server for the module. The records stay committed while
    its tests run; afterwards every table is emptied, as after any other browser test."""
    from pytest_django.live_server_helper import LiveServer

    with (
        django_db_blocker.unblock(),
        isolated_database(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            SITE_URL="https://ssdc.example.org/",
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        ),
    ):
        load_reference_data()
        initiative = initiative_with_every_row()
        brazil_with_context()
        editor = MembershipFactory(organisation=initiative.owner, role=Membership.Role.MANAGER).user
        outsider = MembershipFactory(organisation=initiative.owner).user
        InvitationFactory(organisation=initiative.owner)
        moderator = ModeratorFactory()
        reports = reports_in_each_state(initiative, requested_by=editor)
        partner, practice, listing = learning_around(initiative)
        release_make()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield (
                server.url,
                Site(initiative, editor, moderator, outsider, partner, practice, listing, reports),
            )
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(scope="module")
def browser_page(browser, site):
    """``browser_page(language, who)``: one browser page per language and person (None: a
    visitor), signed in through a session cookie."""
    url, world = site
    pages = {}
    contexts = []

    def open_page(language: str, who: str | None):
        if (language, who) not in pages:
            context = browser.new_context(base_url=url, locale=LANGUAGES[language])
            contexts.append(context)
            if who is not None:
                client = Client()
                client.force_login(getattr(world, who))
                name = settings.SESSION_COOKIE_NAME
                cookie = {"name": name, "value": client.cookies[name].value, "url": url}
                context.add_cookies([cookie])
            page = context.new_page()
            page.set_default_timeout(15_000)
            pages[language, who] = page
        return pages[language, who]

    yield open_page
    for context in contexts:
        context.close()


def _params():
    for name in CHECKED:
        for language in LANGUAGES:
            marks = [pytest.mark.xfail(reason=NOT_YET[name])] if name in NOT_YET else []
            yield pytest.param(name, language, marks=marks, id=f"{language}, {name}")


@pytest.mark.parametrize(("name", "language"), list(_params()))
def test_page_fits_a_phone_and_axe_finds_no_serious_problem(site, browser_page, name, language):
    if not AXE.exists() and os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"{AXE} is missing: `make install` copies it from npm's axe-core")
    url, world = site
    page_type = CHECKED[name]
    address = page_type.address(world)
    if language != "en" and not address.startswith("/api/"):
        address = path_in_language(address, language)
    page = browser_page(language, page_type.who)
    problems = []
    # Loaded at a phone's width, checked by axe there, then widened to a desktop's (the
    # layout follows the window: pages need no script to lay themselves out).
    page.set_viewport_size(VIEWPORTS["phone"])
    response = page.goto(address)
    assert response.status == page_type.status, f"{address}: {response.status}"
    if name in DRAWN:
        page.wait_for_selector(DRAWN[name])
    if AXE.exists():
        # From the live server, as the portal's own script: the pages' Content-Security-
        # Policy refuses inline scripts, and the page is checked under that policy.
        page.add_script_tag(url=static("vendor/axe.min.js"))
        for violation in page.evaluate(AXE_SCRIPT):
            if violation["impact"] in SERIOUS:
                problems.append(
                    f"{violation['id']} ({violation['impact']}): {violation['help']}"
                    + "".join(f"\n    {target}" for target in violation["targets"])
                )
    for size in VIEWPORTS.values():
        page.set_viewport_size(size)
        width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > window:
            problems.append(
                f"at {window} px the page is {width} px wide: "
                + ("; ".join(page.evaluate(OVERFLOW_SCRIPT)) or "(no single element found)")
            )
    assert not problems, f"{address}:\n" + "\n".join(problems)
    if not AXE.exists():
        pytest.skip(f"only the widths were checked: {AXE} is missing (`make install`)")
