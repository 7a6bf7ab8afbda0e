"""The demo data set: what ``load_demo`` creates, and that loading it again changes nothing."""

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.contrib.postgres.search import SearchQuery
from django.core.management import call_command

from accounts.models import MODERATORS_GROUP, Membership, User
from devtools.demo import demo_load
from devtools.demo_files import DATA_DIR, read_demo_data
from funding.models import FundingContribution
from initiatives.models import (
    ROW_PARTS,
    Initiative,
    InitiativeTranslation,
    NonMonetaryContribution,
    OutcomeTranslation,
    Participation,
)
from learning.exchange.listings import for_display, matches_for
from learning.models import Listing, Practice, PracticeTranslation, PracticeUse
from organisations.models import NetworkMembership, Organisation
from principles.models import PrincipleEvidence
from reference.models import DialogueMechanism

DEMO_MODELS = [
    User,
    User.groups.through,
    Membership,
    Organisation,
    NetworkMembership,
    DialogueMechanism,
    Initiative,
    Initiative.sectors.through,
    Initiative.sdg_goals.through,
    Initiative.modalities.through,
    *(part.model for part in ROW_PARTS.values()),  # translations included
    Practice,
    PracticeTranslation,
    Practice.themes.through,
    Practice.modalities.through,
]

SEED_BANKS = "brazil-mozambique-south-africa-native-seed-banks"

# slug → (providers, recipients, funding models, (principle, stance) pairs)
PUBLISHED_CASES = {
    "mexico-haiti-rural-reconstruction": (
        {"MX"},
        {"HT"},
        {"citizen-donations"},
        {
            ("ownership", "supports"),
            ("results", "supports"),
            ("inclusive-partnerships", "challenges"),
        },
    ),
    "india-bangladesh-cambodia-social-accountability": (
        {"IN"},
        {"BD", "KH"},
        {"triangular"},
        {("transparency-accountability", "supports")},
    ),
    "india-south-africa-urban-poor-housing-network": (
        {"IN", "ZA"},
        {"IN", "ZA"},
        {"beneficiary-resources", "triangular"},
        {("inclusive-partnerships", "supports")},
    ),
    "brazil-mozambique-south-africa-native-seed-banks": (
        {"BR"},
        {"MZ", "ZA"},
        {"provider-government"},
        {("inclusive-partnerships", "supports"), ("ownership", "challenges")},
    ),
}


@pytest.fixture(autouse=True)
def fast_hashing_without_demo_password(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


def load() -> str:
    output = io.StringIO()
    demo_load(stdout=output)
    return output.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    lines = output.splitlines()
    header = lines.index(next(line for line in lines if line.split() == ["username", "password"]))
    return dict(line.split() for line in lines[header + 1 :] if line.startswith("  "))


def snapshot() -> dict:
    """Row count and latest change of every table the demo writes, plus password hashes."""
    state = {}
    for model in DEMO_MODELS:
        rows = model.objects.all()
        latest = (
            rows.order_by("-updated_at").values_list("updated_at", flat=True).first()
            if any(field.name == "updated_at" for field in model._meta.fields)
            else None
        )
        state[model._meta.label] = (rows.count(), latest)
    state["passwords"] = dict(User.objects.values_list("username", "password"))
    return state


@pytest.mark.django_db
def test_loads_four_published_cases_a_draft_and_two_submitted_records():
    load()

    states = dict(Initiative.objects.values_list("slug", "state"))
    assert states == {
        **dict.fromkeys(PUBLISHED_CASES, Initiative.State.PUBLISHED),
        "haiti-hillside-soil-conservation-exchanges": Initiative.State.DRAFT,
        "community-scorecards-handbook-cambodia": Initiative.State.SUBMITTED,
        "native-seed-bank-guide-mozambique": Initiative.State.SUBMITTED,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("slug", PUBLISHED_CASES)
def test_published_case_has_its_countries_funding_and_principle_evidence(slug):
    load()
    providers, recipients, funding_models, evidence = PUBLISHED_CASES[slug]

    initiative = Initiative.objects.get(slug=slug)
    links = initiative.country_links.all()
    assert {str(link.country_id) for link in links if link.role == "provider"} == providers
    assert {str(link.country_id) for link in links if link.role == "recipient"} == recipients
    assert {
        contribution.funding_model.slug for contribution in initiative.funding_contributions.all()
    } == funding_models
    assert {
        (row.principle.slug, row.stance) for row in initiative.principle_evidence.all()
    } == evidence
    assert initiative.published_at is not None
    assert initiative.reviewed_at is not None
    assert initiative.reviewed_version == initiative.version
    assert initiative.sources.get().document_type in {"case_study", "research"}
    assert initiative.sectors.exists()
    assert initiative.modalities.exists()
    assert initiative.outcomes.exists()


@pytest.mark.django_db
def test_documented_evidence_cites_a_source_and_is_recorded_by_the_owner():
    load()

    evidence = PrincipleEvidence.objects.select_related("initiative")
    assert evidence.count() == 7
    for row in evidence:
        assert row.source is not None
        assert row.recorded_by_organisation_id == row.initiative.owner_id
        if row.confirmed_by_organisation_id is not None:
            assert row.initiative.participations.filter(
                actor_id=row.confirmed_by_organisation_id
            ).exists()
            assert row.confirmed_at is not None


@pytest.mark.django_db
def test_evidence_records_the_challenge_to_official_cooperation_in_mozambique():
    load()

    challenge = PrincipleEvidence.objects.get(
        initiative__slug="brazil-mozambique-south-africa-native-seed-banks",
        stance=PrincipleEvidence.Stance.CHALLENGES,
    )
    assert "Brazilian government" in challenge.narrative


@pytest.mark.django_db
def test_monetary_amounts_stay_empty_and_counts_are_marked_illustrative():
    load()

    assert not FundingContribution.objects.filter(amount__isnull=False).exists()
    for contribution in NonMonetaryContribution.objects.all():
        assert "illustrative" in contribution.note.lower()


@pytest.mark.django_db
def test_dialogue_mechanisms_of_mexico_and_india():
    load()

    assert set(DialogueMechanism.objects.values_list("country", "year_started")) == {
        ("MX", 2011),
        ("IN", 2013),
    }


@pytest.mark.django_db
def test_published_cases_are_searchable():
    load()

    assert not Initiative.objects.filter(search_vector__isnull=True).exists()
    seed = SearchQuery("seed", config="simple")
    assert Initiative.objects.published().filter(search_vector=seed).get().slug == (
        "brazil-mozambique-south-africa-native-seed-banks"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("slug", PUBLISHED_CASES)
def test_published_case_reads_in_spanish_portuguese_and_french(slug):
    load()

    initiative = Initiative.objects.get(slug=slug)
    assert initiative.language == "en"
    translations = {row.language: row for row in initiative.translations.all()}
    assert set(translations) == {"es", "pt", "fr"}
    for translation in translations.values():
        assert translation.title and translation.title != initiative.title
        assert translation.summary and translation.summary != initiative.summary
        assert translation.description
    lessons = list(initiative.lessons.all())
    assert len(lessons) == 1
    assert {row.language for row in lessons[0].translations.all()} == {"es", "pt", "fr"}


@pytest.mark.django_db
def test_the_spanish_seed_bank_record_speaks_of_semillas():
    load()

    spanish = InitiativeTranslation.objects.get(initiative__slug=SEED_BANKS, language="es")
    assert "semillas" in spanish.title
    assert "semillas" in spanish.summary


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, query",
    [("/es/initiatives/", "semillas"), ("/pt-br/initiatives/", "sementes crioulas")],
)
def test_a_visitor_finds_the_seed_banks_in_their_own_language(client, path, query):
    load()

    page = client.get(path, {"q": query}).content.decode()

    assert f'href="{path}{SEED_BANKS}/"' in page


@pytest.mark.django_db
def test_one_record_is_written_in_spanish_and_one_in_portuguese_with_an_english_version():
    load()

    originals = dict(Initiative.objects.exclude(language="en").values_list("slug", "language"))
    assert originals == {
        "haiti-hillside-soil-conservation-exchanges": "es",
        "native-seed-bank-guide-mozambique": "pt",
    }
    for slug in originals:
        english = InitiativeTranslation.objects.get(initiative__slug=slug)
        assert english.language == "en"
        assert english.title and english.summary
    assert (
        "suelo" in Initiative.objects.get(slug="haiti-hillside-soil-conservation-exchanges").title
    )
    assert "sementes" in Initiative.objects.get(slug="native-seed-bank-guide-mozambique").title


def data_with_seed_bank_file(tmp_path: Path, edit: Callable[[str], str]) -> Path:
    """A copy of the demo data in which ``edit`` rewrites the text of the seed-bank file."""
    directory = tmp_path / "demo_data"
    shutil.copytree(DATA_DIR, directory)
    path = directory / "initiatives" / f"{SEED_BANKS}.toml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return directory


@pytest.mark.django_db
def test_second_run_restores_an_edited_translation_and_removes_one_gone_from_the_file(
    tmp_path,
):
    load()
    spanish = InitiativeTranslation.objects.get(initiative__slug=SEED_BANKS, language="es")
    spanish.title = "Otro título"
    spanish.save()
    without_french = data_with_seed_bank_file(
        tmp_path, lambda text: text[: text.index("[translations.fr]")]
    )

    demo_load(directory=without_french)

    initiative = Initiative.objects.get(slug=SEED_BANKS)
    assert set(initiative.translations.values_list("language", flat=True)) == {"es", "pt"}
    assert "semillas" in initiative.translations.get(language="es").title
    assert initiative.version == initiative.reviewed_version == 2


@pytest.mark.django_db
def test_outcome_translations_are_loaded_and_kept_in_line(tmp_path):
    outcome = 'title = "A wider view of food sovereignty"\n'
    spanish = (
        "[outcomes.translations.es]\n"
        'title = "Una visión más amplia de la soberanía alimentaria"\n'
        'narrative = "El contacto entre los movimientos amplió su lectura política."\n'
    )

    def with_spanish_outcome(text: str) -> str:
        start = text.index(outcome)
        end = text.index("[[evidence]]", start)
        return f"{text[:end]}\n{spanish}\n{text[end:]}"

    demo_load(directory=data_with_seed_bank_file(tmp_path, with_spanish_outcome))
    before = snapshot()
    demo_load(directory=data_with_seed_bank_file(tmp_path / "again", with_spanish_outcome))

    assert snapshot() == before
    translation = OutcomeTranslation.objects.get()
    assert translation.outcome.title == "A wider view of food sovereignty"
    assert translation.language == "es"
    assert translation.title == "Una visión más amplia de la soberanía alimentaria"

    load()  # the shipped files give that outcome no translation

    assert not OutcomeTranslation.objects.exists()


DEMO_PRACTICES = {
    "community-native-seed-banks",
    "community-scorecards-social-audits",
    "federation-savings-and-enumeration",
    "farmer-to-farmer-exchange",
}


@pytest.mark.django_db
def test_four_accepted_practices_in_four_languages_with_themes():
    load()

    practices = Practice.objects.prefetch_related("translations", "themes")
    assert {practice.slug for practice in practices} == DEMO_PRACTICES
    for practice in practices:
        assert practice.status == Practice.Status.ACCEPTED and practice.language == "en"
        assert {t.language for t in practice.translations.all()} == {"es", "pt", "fr"}
        assert all(t.summary and t.description for t in practice.translations.all())
        assert practice.themes.exists()


@pytest.mark.django_db
def test_practices_travelled_from_one_demo_initiative_to_the_next():
    load()

    learned = {
        (use.practice.slug, use.initiative.slug): use.learned_from and use.learned_from.slug
        for use in PracticeUse.objects.select_related("practice", "initiative", "learned_from")
    }
    assert learned == {
        ("community-native-seed-banks", SEED_BANKS): None,
        ("community-native-seed-banks", "native-seed-bank-guide-mozambique"): SEED_BANKS,
        (
            "community-scorecards-social-audits",
            "india-bangladesh-cambodia-social-accountability",
        ): None,
        (
            "community-scorecards-social-audits",
            "community-scorecards-handbook-cambodia",
        ): "india-bangladesh-cambodia-social-accountability",
        ("farmer-to-farmer-exchange", "mexico-haiti-rural-reconstruction"): None,
        (
            "farmer-to-farmer-exchange",
            "haiti-hillside-soil-conservation-exchanges",
        ): "mexico-haiti-rural-reconstruction",
        (
            "federation-savings-and-enumeration",
            "india-south-africa-urban-poor-housing-network",
        ): None,
    }


@pytest.mark.django_db
def test_a_visitor_reads_the_seed_bank_practice_in_spanish(client):
    load()

    html = client.get("/es/practices/community-native-seed-banks/").content.decode()
    assert "Bancos comunitarios de semillas nativas" in html
    assert "Semillas y agroecología" in html
    # The guide that learned it is still awaiting review: the public path has one step.
    assert html.count('data-testid="path-step"') == 1
    # On the first load, the lessons about it and the coalition's open offer are there.
    assert "Lecciones sobre esta práctica" in html
    assert "1 oferta abierta para compartirla" in html


@pytest.mark.django_db
def test_second_run_changes_nothing():
    first_output = load()
    before = snapshot()

    second_output = load()

    assert snapshot() == before
    assert InitiativeTranslation.objects.count() == 4 * 3 + 2
    assert PracticeTranslation.objects.count() == 4 * 3
    assert PracticeUse.objects.count() == 7
    assert "password" not in second_output
    assert "password" in first_output


@pytest.mark.django_db
def test_second_run_restores_edited_content_and_bumps_the_version():
    load()
    initiative = Initiative.objects.get(slug="mexico-haiti-rural-reconstruction")
    initiative.outcomes.all().delete()
    initiative.participations.filter(role=Participation.Role.PARTNER).delete()

    load()

    initiative.refresh_from_db()
    assert initiative.outcomes.count() == 2
    assert initiative.participations.count() == 4
    assert initiative.version == 2
    assert initiative.reviewed_version == 2
    # The restored record is the next published version; the others are still version 1.
    assert list(initiative.published_versions.values_list("number", flat=True)) == [1, 2]
    other = Initiative.objects.get(slug="brazil-mozambique-south-africa-native-seed-banks")
    assert list(other.published_versions.values_list("number", flat=True)) == [1]


@pytest.mark.django_db
def test_generated_passwords_are_printed_once_and_work():
    passwords = printed_passwords(load())

    assert set(passwords) == set(User.objects.values_list("username", flat=True))
    for username, password in passwords.items():
        assert len(password) >= 20
        assert User.objects.get(username=username).check_password(password)
    assert len(set(passwords.values())) == len(passwords)


@pytest.mark.django_db
def test_existing_passwords_are_never_reset(monkeypatch):
    passwords = printed_passwords(load())
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-password-1")

    load()

    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password)


@pytest.mark.django_db
def test_demo_password_from_the_environment_is_used_for_every_account(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "shared-demo-password-1")

    output = load()

    users = User.objects.all()
    assert users.count() == 9  # the moderator, 4 initiative owners, 4 more with listings
    assert all(user.check_password("shared-demo-password-1") for user in users)
    assert "shared-demo-password-1" not in output


@pytest.mark.django_db
def test_moderator_moderates():
    load()

    moderator = User.objects.get(username="moderator")
    assert moderator.is_staff
    assert moderator.is_moderator
    assert moderator.groups.filter(name=MODERATORS_GROUP).exists()
    assert Initiative.objects.visible_to(moderator).count() == len(read_demo_data().initiatives)


@pytest.mark.django_db
def test_each_editor_belongs_to_an_organisation_that_owns_a_demo_initiative_or_listing():
    load()

    editors = User.objects.exclude(username="moderator")
    owners = set(Initiative.objects.values_list("owner", flat=True)) | set(
        Listing.objects.values_list("organisation", flat=True)
    )
    assert editors.count() == len(owners)
    for editor in editors:
        membership = editor.memberships.get()
        assert membership.organisation_id in owners
        assert editor.username == f"{membership.organisation.slug}-{membership.role}"
        assert not editor.is_moderator
    roles = sorted(Membership.objects.values_list("role", flat=True))
    assert roles == ["editor"] * 7 + ["manager"]


@pytest.mark.django_db
def test_exchange_offers_and_requests_match_across_the_south():
    load()
    load()  # a second load adds no listing

    open_listings = Listing.objects.open()
    assert open_listings.count() == 5
    offer = open_listings.get(organisation__slug="brazilian-native-seed-coalition")
    assert (offer.kind, offer.languages, offer.practice.slug) == (
        "offer",
        ["pt", "es"],
        "community-native-seed-banks",
    )
    assert {str(c.code) for c in offer.countries.all()} == {"MZ", "ZA", "AO"}
    matched = [
        other.organisation.slug
        for other, _match in matches_for(for_display(Listing.objects).get(pk=offer.pk))
    ]
    assert matched == ["mozambican-peasant-movement", "haitian-grassroots-farmer-organisations"]
    savings = open_listings.get(organisation__slug="indian-urban-poor-federation")
    assert [
        o.organisation.slug
        for o, _m in matches_for(for_display(Listing.objects).get(pk=savings.pk))
    ] == ["cambodian-civil-society-partners"]
    mozambique = User.objects.get(username="mozambican-peasant-movement-editor")
    assert mozambique.has_usable_password()


@pytest.mark.django_db
def test_editor_sees_own_draft_but_not_another_organisations():
    load()

    pria = User.objects.get(username="pria-manager")
    visible = set(Initiative.objects.visible_to(pria).values_list("slug", flat=True))
    assert "community-scorecards-handbook-cambodia" in visible
    assert "haiti-hillside-soil-conservation-exchanges" not in visible


@pytest.mark.django_db
def test_command_prints_a_summary():
    output = io.StringIO()

    call_command("load_demo", stdout=output)

    assert "7 initiatives (4 published, 2 submitted, 1 draft" in output.getvalue()
    assert Group.objects.get(name=MODERATORS_GROUP).user_set.count() == 1


@pytest.mark.django_db
def test_demo_records_have_a_first_revision_in_their_history():
    from reversion.models import Version

    from devtools.demo import demo_load
    from initiatives.models import Initiative

    demo_load()
    for initiative in Initiative.objects.all():
        version = Version.objects.get_for_object(initiative).get()
        assert version.revision.get_comment() == "Demo data loaded"
    # Published records are published version 1 of that revision; the others no version.
    for initiative in Initiative.objects.all():
        expected = [1] if initiative.is_published else []
        assert list(initiative.published_versions.values_list("number", flat=True)) == expected
    demo_load()
    assert Version.objects.get_for_object(Initiative.objects.first()).count() == 1


@pytest.mark.django_db
def test_the_haiti_case_records_the_year_of_the_earthquake():
    from devtools.demo import demo_load
    from initiatives.models import Initiative

    demo_load()
    assert Initiative.objects.get(slug="mexico-haiti-rural-reconstruction").started_in == 2010
