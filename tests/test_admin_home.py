"""The admin's home page, the moderators' desk: what awaits review, with links to it, in the
portal's name and colours, and a way back to the public site."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html

from initiatives.models import Initiative
from tests.factories import InitiativeFactory, UserFactory

State = Initiative.State


def submitted(days_ago: int, **kwargs) -> Initiative:
    return InitiativeFactory(
        state=State.SUBMITTED, submitted_at=timezone.now() - timedelta(days=days_ago), **kwargs
    )


def home(client, language: str = "en"):
    with translation.override(language):
        address = reverse("admin:index")
    response = client.get(address)
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def having_class(name: str, tag: str = "*") -> str:
    return f".//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"


def queue_panel(page):
    panels = page.xpath(having_class("moderation-queue"))
    return panels[0] if panels else None


def text(element) -> str:
    return " ".join(element.text_content().split())


def listed(client, link) -> list[str]:
    """The titles on the admin list a link of the home page leads to."""
    response = client.get(link.get("href"))
    assert response.status_code == 200
    return [initiative.title for initiative in response.context["cl"].result_list]


@pytest.fixture
def staff_client_of(db):
    """``staff_client_of()``: a test client of its own, signed in as a staff user who may view
    and change initiatives but not moderate them."""

    def sign_in() -> Client:
        user = UserFactory(is_staff=True)
        user.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_initiative", "change_initiative"])
        )
        client = Client()
        client.force_login(user)
        return client

    return sign_in


def test_home_counts_what_awaits_review_and_links_to_it(moderator_client):
    for days_ago, title in [(2, "Seed fairs"), (30, "Water committees"), (9, "Cisterns")]:
        submitted(days_ago, title=title)
    InitiativeFactory(state=State.PUBLISHED, version=3, reviewed_version=2, title="Edited")
    InitiativeFactory(state=State.PUBLISHED, version=2, reviewed_version=2, title="Reviewed")
    # A draft's edits are not a published record's changes.
    InitiativeFactory(state=State.DRAFT, version=4, reviewed_version=1, title="Draft")
    InitiativeFactory(state=State.RETURNED, title="Returned")

    panel = queue_panel(home(moderator_client))

    waiting, changed = panel.xpath(having_class("queue-counts") + "//a")
    assert text(waiting) == "3 initiatives await review"
    assert text(changed) == ("1 published initiative changed since review")
    assert listed(moderator_client, waiting) == ["Water committees", "Cisterns", "Seed fairs"]
    assert listed(moderator_client, changed) == ["Edited"]


def test_home_names_the_submissions_waiting_longest_with_links_to_them(moderator_client):
    oldest = submitted(40, title="Water committees", owner__name="Rede Cisternas")
    for days_ago in range(1, 6):
        submitted(days_ago, title=f"Waiting {days_ago} days")

    panel = queue_panel(home(moderator_client))

    rows = panel.xpath(having_class("queue-oldest") + "/li")
    assert [text(row.find(".//a")) for row in rows] == [
        "Water committees",
        *(f"Waiting {days} days" for days in [5, 4, 3, 2]),
    ]
    first = text(rows[0])
    assert "Rede Cisternas, submitted 1 month" in first
    change_page = reverse("admin:initiatives_initiative_change", args=[oldest.pk])
    assert rows[0].find(".//a").get("href") == change_page


def test_home_with_nothing_waiting_says_so_with_zeros(moderator_client):
    InitiativeFactory(state=State.PUBLISHED)

    panel = queue_panel(home(moderator_client))

    counts = [text(a) for a in panel.xpath(having_class("queue-counts") + "//a")]
    assert counts == [
        "0 initiatives await review",
        "0 published initiatives changed since review",
    ]
    assert panel.xpath(having_class("queue-oldest")) == []


def test_home_queue_query_count_does_not_grow_with_records(moderator_client, count_queries):
    def queries(waiting: int) -> int:
        for days_ago in range(Initiative.objects.count() // 2, waiting):
            submitted(days_ago + 1)
            InitiativeFactory(state=State.PUBLISHED, version=3, reviewed_version=2)
        count = count_queries(lambda: home(moderator_client))
        counts = queue_panel(home(moderator_client)).xpath(having_class("queue-counts") + "//a")
        assert text(counts[0]) == f"{waiting} initiatives await review"
        return count

    assert queries(2) == queries(12)


def test_home_shows_the_queue_to_moderators_only(moderator_client, staff_client_of):
    submitted(3)
    staff = staff_client_of()

    assert queue_panel(home(moderator_client)) is not None
    page = home(staff)
    assert queue_panel(page) is None
    assert page.get_element_by_id("content-main").xpath(having_class("app-initiatives"))


@pytest.mark.parametrize(
    ("language", "name", "waiting"),
    [
        ("en", "SSDC Portal", "0 initiatives await review"),
        ("es", "Portal SSDC", "0 iniciativas en espera de revisión"),
        ("pt-br", "Portal SSDC", "0 iniciativas aguardam revisão"),
        ("fr", "Portail SSDC", "0 initiative en attente de relecture"),  # 0 is singular
    ],
)
def test_admin_carries_the_portals_name_and_leads_back_to_the_public_site(
    moderator_client, language, name, waiting
):
    page = home(moderator_client, language)

    assert text(page.xpath("//*[@id='site-name']//a")[0]) == name
    assert page.findtext(".//title").strip().endswith(f"| {name}")
    assert text(queue_panel(page).xpath(having_class("queue-counts") + "//a")[0]) == waiting
    with translation.override(language):
        public_home = reverse("home")
    site_links = [a.get("href") for a in page.xpath("//*[@id='user-tools']//a")]
    assert public_home in site_links
    assert moderator_client.get(public_home).status_code == 200


def test_admin_pages_load_the_portals_admin_stylesheet(moderator_client, client):
    initiative = InitiativeFactory()
    pages = [
        reverse("admin:index"),
        reverse("admin:initiatives_initiative_changelist"),
        reverse("admin:initiatives_initiative_change", args=[initiative.pk]),
    ]
    for address in pages:
        page = html.fromstring(moderator_client.get(address).content.decode())
        stylesheets = [
            urlsplit(link.get("href")).path for link in page.xpath("//link[@rel='stylesheet']")
        ]
        assert "/static/css/admin.css" in stylesheets, address
        assert page.xpath("//*[@style]") == [], address  # the policy allows no inline style


@pytest.mark.parametrize("language", ["en", "pt-br"])
def test_admin_sign_in_page_leads_back_to_the_public_site(client, db, language):
    with translation.override(language):
        sign_in, public_home = reverse("admin:login"), reverse("home")

    page = html.fromstring(client.get(sign_in).content.decode())

    links = page.xpath(having_class("public-site-link") + "//a")
    assert [link.get("href") for link in links] == [public_home]
