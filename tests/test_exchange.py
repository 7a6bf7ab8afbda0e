"""The exchange: who sees which listing, editors' listings, messages relayed between
organisations without addresses, and the API."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from learning.models import ContactMessage, Listing, Practice, Theme
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    ModeratorFactory,
    OrganisationFactory,
    country,
)

pytestmark = pytest.mark.django_db
State = Listing.State


def today():
    return timezone.localdate()


@pytest.fixture
def seed_banks():
    practice = Practice.objects.create(
        name="Community native seed banks",
        slug="community-native-seed-banks",
        summary="Seeds kept by communities.",
        status=Practice.Status.ACCEPTED,
    )
    practice.themes.add(Theme.objects.get(slug="seeds-agroecology"))
    return practice


def make_listing(organisation, *, title="A listing", kind="offer", state=State.PUBLISHED,
                 practice=None, theme=None, languages=("pt",), countries=(), days=90):  # fmt: skip
    if practice is None and theme is None:
        theme = Theme.objects.get(slug="seeds-agroecology")
    listing = Listing.objects.create(
        kind=kind,
        organisation=organisation,
        title=title,
        description=f"What {title} is about.",
        practice=practice,
        theme=theme,
        languages=list(languages),
        open_until=today() + timedelta(days=days),
        state=state,
    )
    listing.countries.set(countries)
    return listing


def editor_of(organisation, *, language="", email=None):
    membership = MembershipFactory(organisation=organisation)
    user = membership.user
    user.language = language
    if email:
        user.email = email
    user.save()
    return user


# ---- visibility ----


@pytest.fixture
def listings():
    owner = OrganisationFactory(name="Seed coalition")
    rows = {
        "open": make_listing(owner, title="Open offer zebra"),
        "submitted": make_listing(owner, title="Submitted offer yak", state=State.SUBMITTED),
        "returned": make_listing(owner, title="Returned offer xerus", state=State.RETURNED),
        "withdrawn": make_listing(owner, title="Withdrawn offer wombat", state=State.WITHDRAWN),
        "expired": make_listing(owner, title="Expired offer vole", days=-1),
    }
    return owner, rows


def test_strangers_see_only_open_listings(client, listings, sign_in_editor):
    owner, rows = listings
    for who in ("anonymous", "stranger"):
        if who == "stranger":
            sign_in_editor()
        page = client.get(reverse("exchange-list")).content.decode()
        api = client.get(reverse("api:listing-list")).json()
        assert "Open offer zebra" in page
        assert [row["title"] for row in api["results"]] == ["Open offer zebra"]
        for name, listing in rows.items():
            if name == "open":
                continue
            assert listing.title not in page
            assert client.get(reverse("exchange-detail", args=[listing.pk])).status_code == 404
            assert client.get(reverse("api:listing-detail", args=[listing.pk])).status_code == 404
            assert client.get(reverse("exchange-contact", args=[listing.pk])).status_code in (
                302,
                404,
            )


def test_own_editors_and_moderators_reach_every_state(client, listings, moderator):
    owner, rows = listings
    for user in (editor_of(owner), moderator):
        client.force_login(user)
        for listing in rows.values():
            page = client.get(reverse("exchange-detail", args=[listing.pk]))
            assert page.status_code == 200
            assert listing.title in page.content.decode()
            assert client.get(reverse("api:listing-detail", args=[listing.pk])).status_code == 200
        # the public list is the exchange: open listings only, for everyone
        page = client.get(reverse("exchange-list")).content.decode()
        assert "Submitted offer yak" not in page


def test_my_exchange_lists_own_organisations_listings_with_actions(client, listings):
    owner, rows = listings
    other = make_listing(OrganisationFactory(), title="Someone else's")
    client.force_login(editor_of(owner))
    page = client.get(reverse("exchange-mine")).content.decode()
    for listing in rows.values():
        assert listing.title in page
    assert other.title not in page
    assert reverse("exchange-renew", args=[rows["expired"].pk]) in page
    assert reverse("exchange-renew", args=[rows["open"].pk]) not in page


# ---- editors ----


def test_new_listing_is_submitted_and_validated(client, seed_banks):
    organisation = OrganisationFactory()
    editor = editor_of(organisation)
    client.force_login(editor)
    page = client.get(reverse("exchange-create")).content.decode()
    assert '<option value="en" selected>' in page  # the language of the page
    default = (today().replace(day=1) + timedelta(days=200)).year  # six months ahead
    assert str(default) in page
    refused = client.post(
        reverse("exchange-create"),
        {
            "kind": "offer",
            "organisation": organisation.pk,
            "title": "Seeds",
            "description": "x",
            "open_until": (today() + timedelta(days=400)).isoformat(),
        },  # fmt: skip
    )
    text = refused.content.decode()
    assert "Choose a practice or a theme." in text
    assert "Tick at least one language." in text
    assert "a listing is open for a year at most" in text
    assert not Listing.objects.exists()
    response = client.post(
        reverse("exchange-create"),
        {
            "kind": "offer",
            "organisation": organisation.pk,
            "title": "Seeds",
            "description": "x",
            "language": "pt",
            "practice": seed_banks.pk,
            "languages": ["pt", "es"],
            "countries": ["MZ", "ZA"],
            "formats": ["training"],
            "open_until": (today() + timedelta(days=100)).isoformat(),
        },  # fmt: skip
    )
    assert response.status_code == 302
    listing = Listing.objects.get()
    assert listing.state == State.SUBMITTED
    assert listing.created_by == editor
    assert sorted(str(c.code) for c in listing.countries.all()) == ["MZ", "ZA"]
    # Its words are marked as Portuguese wherever they are shown, for screen readers.
    client.force_login(ModeratorFactory())
    detail = client.get(reverse("exchange-detail", args=[listing.pk])).content.decode()
    assert '<h1 lang="pt">Seeds</h1>' in detail
    assert '<div class="listing-description" lang="pt">' in detail


def test_a_foreign_organisation_cannot_be_chosen(client):
    client.force_login(editor_of(OrganisationFactory()))
    stranger = OrganisationFactory()
    response = client.post(
        reverse("exchange-create"),
        {
            "kind": "offer",
            "organisation": stranger.pk,
            "title": "x",
            "description": "x",
            "theme": Theme.objects.first().pk,
            "languages": ["en"],
            "open_until": (today() + timedelta(days=10)).isoformat(),
        },  # fmt: skip
    )
    assert response.status_code == 200
    assert not Listing.objects.exists()


def test_editing_a_published_listing_sends_it_back_to_review(client):
    organisation = OrganisationFactory()
    listing = make_listing(organisation, title="Old title")
    client.force_login(editor_of(organisation))
    response = client.post(
        reverse("exchange-edit", args=[listing.pk]),
        {
            "kind": "offer",
            "organisation": organisation.pk,
            "title": "New title",
            "description": "x",
            "language": "en",
            "theme": listing.theme_id,
            "languages": ["pt"],
            "open_until": listing.open_until.isoformat(),
        },  # fmt: skip
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert (listing.title, listing.state) == ("New title", State.SUBMITTED)


def test_renew_and_withdraw_and_no_idor(client):
    organisation = OrganisationFactory()
    ending = make_listing(organisation, days=10)
    far = make_listing(organisation, days=100)
    foreign = make_listing(OrganisationFactory(), days=10)
    client.force_login(editor_of(organisation))
    client.post(reverse("exchange-renew", args=[ending.pk]))
    ending.refresh_from_db()
    assert ending.open_until > today() + timedelta(days=180)
    before = far.open_until
    client.post(reverse("exchange-renew", args=[far.pk]))
    far.refresh_from_db()
    assert far.open_until == before
    for name in ("exchange-renew", "exchange-withdraw"):
        assert client.post(reverse(name, args=[foreign.pk])).status_code == 404
    assert client.get(reverse("exchange-edit", args=[foreign.pk])).status_code == 404
    client.post(reverse("exchange-withdraw", args=[far.pk]))
    far.refresh_from_db()
    foreign.refresh_from_db()
    assert far.state == State.WITHDRAWN
    assert foreign.state == State.PUBLISHED


# ---- matches ----


def test_detail_shows_matches_with_reasons(client, seed_banks):
    brazil = OrganisationFactory(name="Brazilian coalition")
    offer = make_listing(
        brazil, title="Seed banks offer", practice=seed_banks, languages=("pt", "es"),
        countries=["ZA"],
    )  # fmt: skip
    request = make_listing(
        OrganisationFactory(name="Mozambican union"), title="We want seed banks",
        kind="request", practice=seed_banks, languages=("pt",), countries=["MZ"],
    )  # fmt: skip
    make_listing(
        OrganisationFactory(), title="French only request", kind="request",
        practice=seed_banks, languages=("fr",),
    )  # fmt: skip
    page = client.get(reverse("exchange-detail", args=[offer.pk])).content.decode()
    assert "We want seed banks" in page
    assert "Same practice: Community native seed banks" in page
    assert "Common language: Portuguese" in page
    assert "Same region: Sub-Saharan Africa" in page
    assert "French only request" not in page
    back = client.get(reverse("exchange-detail", args=[request.pk])).content.decode()
    assert "Seed banks offer" in back
    es = client.get("/es" + reverse("exchange-detail", args=[request.pk])).content.decode()
    assert "portugués" in es


def test_list_filters(client, seed_banks):
    make_listing(OrganisationFactory(), title="Practice offer", practice=seed_banks)
    make_listing(
        OrganisationFactory(), title="Housing request", kind="request",
        theme=Theme.objects.get(slug="housing-land"), languages=("en",), countries=["IN"],
    )  # fmt: skip

    def titles(**query):
        return [
            row["title"] for row in client.get(reverse("api:listing-list"), query).json()["results"]
        ], client.get(reverse("exchange-list"), query).content.decode()

    api, page = titles(theme="seeds-agroecology")
    assert api == ["Practice offer"] and "Housing request" not in page
    api, page = titles(practice="community-native-seed-banks", language="pt")
    assert api == ["Practice offer"]
    api, page = titles(country="IN", kind="request")
    assert api == ["Housing request"] and "Practice offer" not in page


# ---- messages ----


@pytest.fixture
def pair(seed_banks):
    brazil = OrganisationFactory(name="Brazilian coalition")
    mozambique = OrganisationFactory(name="Mozambican union", home_country=country("MZ"))
    offer = make_listing(brazil, title="Seed banks offer", practice=seed_banks)
    recipients = [
        editor_of(brazil, language="pt-br", email="ana@coalition.example"),
        editor_of(brazil, language="en", email="bob@coalition.example"),
    ]
    sender = editor_of(mozambique, language="pt-br", email="sender@union.example")
    return brazil, mozambique, offer, recipients, sender


def send(client, offer, mozambique, **fields):
    return client.post(
        reverse("exchange-contact", args=[offer.pk]),
        {"sender_organisation": mozambique.pk, "subject": "Seeds", "body": "Hello there", **fields},
    )


def test_message_is_relayed_to_each_editor_in_their_language(client, pair, run_on_commit):
    brazil, mozambique, offer, recipients, sender = pair
    client.force_login(sender)
    detail = client.get(reverse("exchange-detail", args=[offer.pk])).content.decode()
    assert reverse("exchange-contact", args=[offer.pk]) in detail
    form = client.get(reverse("exchange-contact", args=[offer.pk])).content.decode()
    assert "@" not in form.split("<main", 1)[1].replace("@example.org", "")
    response = run_on_commit(lambda: send(client, offer, mozambique))
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    for person in recipients:
        assert person.email not in page
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"ana@coalition.example", "bob@coalition.example"}
    portuguese, english = by_address["ana@coalition.example"], by_address["bob@coalition.example"]
    assert "Mensagem de Mozambican union" in portuguese.subject
    assert "Message from Mozambican union" in english.subject
    assert "Hello there" in english.body
    for message in mail.outbox:
        assert "sender@union.example" not in message.body + message.subject
        assert not message.reply_to
        assert reverse("exchange-message-reply", args=[ContactMessage.objects.get().pk]) in (
            message.body
        )
    saved = ContactMessage.objects.get()
    assert (saved.relayed_to, saved.recipient_organisation) == (2, brazil)


def test_anonymous_visitors_are_asked_to_sign_in(client, pair):
    brazil, mozambique, offer, recipients, sender = pair
    page = client.get(reverse("exchange-detail", args=[offer.pk])).content.decode()
    assert "Sign in to contact this organisation" in page
    assert client.get(reverse("exchange-contact", args=[offer.pk])).status_code == 302


def test_the_daily_limit_holds(client, pair, settings, run_on_commit):
    settings.CONTACT_MESSAGES_PER_DAY = 2
    brazil, mozambique, offer, recipients, sender = pair
    client.force_login(sender)
    for _ in range(2):
        assert run_on_commit(lambda: send(client, offer, mozambique)).status_code == 302
    refused = send(client, offer, mozambique)
    assert refused.status_code == 200
    assert "You have sent 2 messages in the last 24 hours" in refused.content.decode()
    assert ContactMessage.objects.count() == 2
    assert len(mail.outbox) == 4


def test_nothing_reaches_a_wrong_organisation(client, pair, seed_banks):
    brazil, mozambique, offer, recipients, sender = pair
    client.force_login(sender)
    stranger = OrganisationFactory()
    editor_of(stranger)
    # posting from an organisation the sender does not belong to
    assert send(client, offer, stranger).status_code == 200
    # to a listing of the sender's own organisation
    own = make_listing(mozambique, kind="request", practice=seed_banks)
    assert send(client, own, mozambique).status_code == 403
    # to an unpublished listing
    hidden = make_listing(brazil, state=State.SUBMITTED, practice=seed_banks)
    assert send(client, hidden, mozambique).status_code == 404
    # a tampered recipient is not a field: it is ignored
    assert send(client, offer, mozambique, recipient_organisation=stranger.pk).status_code == 302
    assert list(ContactMessage.objects.values_list("recipient_organisation", flat=True)) == [
        brazil.pk
    ]


def test_an_organisation_without_editors_is_refused(client, pair, seed_banks):
    brazil, mozambique, offer, recipients, sender = pair
    lonely = make_listing(OrganisationFactory(), practice=seed_banks)
    client.force_login(sender)
    page = send(client, lonely, mozambique).content.decode()
    assert "Nobody at this organisation uses the portal yet" in page
    assert not ContactMessage.objects.exists()


def test_initiative_contact_goes_to_its_owner(client, pair, run_on_commit):
    brazil, mozambique, offer, recipients, sender = pair
    initiative = InitiativeFactory(owner=brazil, state="published")
    draft = InitiativeFactory(owner=brazil, state="draft")
    client.force_login(sender)
    detail = client.get(initiative.get_absolute_url()).content.decode()
    assert reverse("initiative-contact", args=[initiative.slug]) in detail
    assert client.get(reverse("initiative-contact", args=[draft.slug])).status_code == 404
    url = reverse("initiative-contact", args=[initiative.slug])
    data = {"sender_organisation": mozambique.pk, "subject": "Hi", "body": "About it"}
    assert run_on_commit(lambda: client.post(url, data)).status_code == 302
    assert ContactMessage.objects.get().initiative == initiative
    assert len(mail.outbox) == 2


def test_received_messages_answer_and_report(client, pair, run_on_commit, moderator):
    brazil, mozambique, offer, recipients, sender = pair
    client.force_login(sender)
    run_on_commit(lambda: send(client, offer, mozambique))
    message = ContactMessage.objects.get()
    mail.outbox.clear()
    client.force_login(recipients[1])
    page = client.get(reverse("exchange-messages")).content.decode()
    assert "Hello there" in page
    assert "@" not in page.split("<main", 1)[1]
    # the sender's organisation cannot report its own sent message
    client.force_login(sender)
    assert (
        client.post(
            reverse("exchange-message-report", args=[message.pk]), {"note": "x"}
        ).status_code
        == 404
    )
    client.force_login(recipients[1])
    response = run_on_commit(
        lambda: client.post(reverse("exchange-message-report", args=[message.pk]), {"note": "Spam"})
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.reported_at and message.report_note == "Spam"
    assert [m.to for m in mail.outbox] == [[moderator.email]]
    # the answer goes back to the sender's organisation
    mail.outbox.clear()
    reply = reverse("exchange-message-reply", args=[message.pk])
    assert (
        run_on_commit(
            lambda: client.post(
                reply, {"sender_organisation": brazil.pk, "subject": "Re", "body": "Yes"}
            )
        ).status_code
        == 302
    )
    assert [m.to for m in mail.outbox] == [[sender.email]]


# ---- API writes ----


def test_api_create_and_patch(client, seed_banks):
    organisation = OrganisationFactory()
    editor = editor_of(organisation)
    client.force_login(editor)
    url = reverse("api:listing-list")
    created = client.post(
        url,
        {
            "kind": "request",
            "organisation": organisation.slug,
            "title": "Learn seeds",
            "description": "x",
            "practice": seed_banks.slug,
            "languages": ["pt"],
            "countries": ["mz"],
        },  # fmt: skip
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], body["countries"]) == ("submitted", ["MZ"])
    listing = Listing.objects.get()
    listing.state = State.PUBLISHED
    listing.save()
    patched = client.patch(
        reverse("api:listing-detail", args=[listing.pk]),
        {"title": "Learn native seeds"},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["state"] == "submitted"
    foreign = make_listing(OrganisationFactory())
    assert client.patch(
        reverse("api:listing-detail", args=[foreign.pk]), {"title": "x"},
        content_type="application/json",
    ).status_code == 404  # fmt: skip
    refused = client.post(
        url,
        {
            "kind": "offer",
            "organisation": foreign.organisation.slug,
            "title": "x",
            "description": "x",
            "languages": ["pt"],
        },  # fmt: skip
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "Choose one of your own organisations." in refused.content.decode()


# ---- query counts ----


def test_query_counts_do_not_grow(client, count_queries, seed_banks, moderator):
    organisation = OrganisationFactory()
    editor = editor_of(organisation)
    target = make_listing(organisation, practice=seed_banks, countries=["MZ"])

    def add(n):
        for i in range(n):
            other = OrganisationFactory()
            make_listing(other, title=f"R{i}", kind="request", practice=seed_banks,
                         countries=["MZ", "ZA"])  # fmt: skip
            make_listing(organisation, title=f"O{i}", countries=["BR"])
            ContactMessage.objects.create(
                sender=editor_of(other), sender_organisation=other,
                recipient_organisation=organisation, subject="s", body="b",
            )  # fmt: skip

    urls = [
        reverse("exchange-list"),
        reverse("exchange-detail", args=[target.pk]),
        reverse("exchange-mine"),
        reverse("exchange-messages"),
        reverse("api:listing-list"),
        reverse("api:listing-detail", args=[target.pk]),
    ]
    client.force_login(editor)
    add(2)
    small = [count_queries(lambda url=url: client.get(url)) for url in urls]
    add(8)
    large = [count_queries(lambda url=url: client.get(url)) for url in urls]
    print(dict(zip(urls, small)))
    assert small == large


# ---- moderation and reminders ----


def test_moderators_publish_or_return_listings_in_the_admin(client, moderator):
    organisation = OrganisationFactory()
    first = make_listing(organisation, title="First", state=State.SUBMITTED)
    second = make_listing(organisation, title="Second", state=State.SUBMITTED)
    client.force_login(moderator)
    url = reverse("admin:learning_listing_changelist")
    queue = client.get(url, {"state__exact": "submitted"}).content.decode()
    assert "First" in queue and "Second" in queue
    client.post(url, {"action": "approve", "_selected_action": [first.pk]})
    asked = client.post(url, {"action": "return_with_note", "_selected_action": [second.pk]})
    assert "Note to the organisation" in asked.content.decode()
    client.post(
        url,
        {
            "action": "return_with_note",
            "_selected_action": [second.pk],
            "apply": "1",
            "note": "Say which countries.",
        },  # fmt: skip
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == State.PUBLISHED and first.reviewed_at
    assert (second.state, second.review_note) == (State.RETURNED, "Say which countries.")


def test_editors_hear_two_weeks_before_a_listing_ends():
    from learning.exchange.relay import listing_expiry_reminders

    organisation = OrganisationFactory()
    editor = editor_of(organisation, language="fr")
    make_listing(organisation, title="Ending soon", days=14)
    make_listing(organisation, title="Ending later", days=15)
    assert listing_expiry_reminders() == 1
    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert message.subject == (
        "Votre annonce d'échange se termine dans deux semaines : Ending soon"
    )
    assert reverse("exchange-mine") in message.body


def test_anonymous_query_counts(client, count_queries, seed_banks):
    target = make_listing(OrganisationFactory(), practice=seed_banks, countries=["MZ"])
    counts = []
    for size in (2, 20):
        while Listing.objects.count() < size + 1:
            make_listing(
                OrganisationFactory(), kind="request", practice=seed_banks, countries=["ZA"]
            )
        counts.append(
            [
                count_queries(lambda url=url: client.get(url))
                for url in (
                    reverse("exchange-list"),
                    reverse("exchange-detail", args=[target.pk]),
                    reverse("api:listing-list"),
                    reverse("api:listing-detail", args=[target.pk]),
                )
            ]
        )
    print(counts)
    assert counts[0] == counts[1]
    assert max(counts[0]) <= 10


def test_practice_names_are_in_the_readers_language(client, seed_banks):
    seed_banks.translations.create(language="es", name="Bancos de semillas", summary="Semillas.")
    offer = make_listing(OrganisationFactory(), title="Seeds", practice=seed_banks)
    make_listing(OrganisationFactory(), kind="request", practice=seed_banks)

    listing_page = client.get("/es/exchange/").content.decode()
    detail = client.get(f"/es/exchange/{offer.pk}/").content.decode()

    assert '<span lang="es">Bancos de semillas</span>' in listing_page
    assert '<dd lang="es">Bancos de semillas</dd>' in detail
    assert "Bancos de semillas" in detail.split('id="matches', 1)[-1]
