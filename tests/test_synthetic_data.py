"""The synthetic benchmark data set: its shape, skew, search, repeatability and safety."""

import re
import statistics
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q

from devtools.synthetic import PREFIX, TABLES, generate
from funding.models import FundingContribution
from initiatives.models import (
    ROW_PARTS,
    Initiative,
    InitiativeCountry,
    InitiativeTranslation,
    Outcome,
    Participation,
)
from initiatives.services import initiative_refresh_search_vector
from organisations.models import NetworkMembership, Organisation, OrganisationType
from principles.models import PrincipleEvidence
from tests.factories import InitiativeFactory, OrganisationFactory

SIZE = 300
State = Initiative.State


def quietly(message: str) -> None:
    pass


@pytest.fixture
def written(db):
    return generate(SIZE, seed=7, progress=quietly)


def per_initiative(related: str, **filters) -> list[int]:
    """How many ``related`` rows (matching ``filters``) each initiative has."""
    condition = Q(**{f"{related}__{k}": v for k, v in filters.items()})
    return list(
        Initiative.objects.annotate(n=Count(related, filter=condition, distinct=True)).values_list(
            "n", flat=True
        )
    )


def table_count(label: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLES[label][0]}")  # noqa: S608 - fixed names
        return cursor.fetchone()[0]


def snapshot() -> list[tuple]:
    """What a reader sees of the data set, independent of primary keys."""
    initiatives = list(
        Initiative.objects.order_by("slug").values_list(
            "slug", "title", "summary", "state", "owner__slug", "start_year", "published_at"
        )
    )
    links = list(
        InitiativeCountry.objects.order_by("initiative__slug", "role", "country").values_list(
            "initiative__slug", "role", "country", "share"
        )
    )
    roles = list(
        Participation.objects.order_by("initiative__slug", "actor__slug", "role").values_list(
            "initiative__slug", "actor__slug", "role"
        )
    )
    return [initiatives, links, roles]


def test_reported_counts_match_the_tables(written):
    assert written["initiatives"] == SIZE
    for label, count in written.items():
        assert table_count(label) == count, label
        assert count > 0, label


def test_organisations_of_every_type_some_in_networks(written):
    assert Organisation.objects.count() == 50  # at least 50, else one per 25 initiatives
    assert not Organisation.objects.exclude(slug__startswith=PREFIX).exists()
    assert set(Organisation.objects.values_list("actor_type", flat=True)) == set(
        OrganisationType.values
    )
    assert NetworkMembership.objects.filter(network__actor_type=OrganisationType.NETWORK).exists()
    assert not NetworkMembership.objects.exclude(
        network__actor_type=OrganisationType.NETWORK
    ).exists()
    southern = Organisation.objects.filter(
        home_country__income_group__in=["lower_middle", "upper_middle", "low"]
    ).count()
    assert southern > 0.7 * Organisation.objects.count()


def test_participants_with_exactly_one_lead_usually_the_owner(written):
    assert set(per_initiative("participations")) <= {2, 3, 4, 5, 6}
    assert set(per_initiative("participations", role=Participation.Role.LEAD)) == {1}
    led_by_owner = Initiative.objects.filter(
        participations__role=Participation.Role.LEAD,
        participations__actor=F("owner"),
    ).count()
    assert 0.75 * SIZE < led_by_owner < SIZE


def test_countries_and_shares(written):
    recipients = per_initiative("country_links", role="recipient")
    providers = per_initiative("country_links", role="provider")
    assert set(recipients) <= {1, 2, 3, 4} and max(recipients) > 1
    assert set(providers) <= {1, 2} and providers.count(1) > 0.8 * SIZE

    shares: dict[tuple[int, str], list] = {}
    for initiative, role, share in InitiativeCountry.objects.values_list(
        "initiative", "role", "share"
    ):
        shares.setdefault((initiative, role), []).append(share)
    complete = [values for values in shares.values() if None not in values]
    assert complete and len(complete) < len(shares)  # shares are often missing
    assert all(sum(values) == Decimal(100) for values in complete)


def test_other_rows_per_initiative_in_range(written):
    assert set(per_initiative("funding_contributions")) <= {1, 2, 3}
    assert set(per_initiative("principle_evidence")) <= set(range(9))
    assert set(per_initiative("sectors")) <= {1, 2, 3}
    assert set(per_initiative("sdg_goals")) <= {0, 1, 2, 3}
    assert set(per_initiative("modalities")) <= {1, 2, 3}
    assert set(per_initiative("outcomes")) <= {0, 1, 2}
    assert set(per_initiative("sources")) <= {0, 1, 2, 3}

    funding = FundingContribution.objects
    with_amount = funding.filter(amount__isnull=False).count()
    assert 0.3 * funding.count() < with_amount < 0.7 * funding.count()
    assert funding.filter(is_in_kind=True).exists()
    assert Outcome.objects.filter(indicators__isnull=False).exists()
    assert PrincipleEvidence.objects.filter(source__isnull=False).exists()
    assert PrincipleEvidence.objects.filter(confirmed_by_organisation__isnull=False).exists()


def test_text_years_and_contexts_look_like_real_records(written):
    initiatives = Initiative.objects
    assert initiatives.values("title").distinct().count() == SIZE
    assert initiatives.values("summary").distinct().count() == SIZE
    languages = Counter(initiatives.values_list("language", flat=True))
    assert languages.most_common(1)[0][0] == "en" and len(languages) > 1
    years = list(initiatives.values_list("start_year", flat=True))
    assert min(years) >= 1995 and max(years) <= 2025
    assert statistics.median(years) >= 2015  # recent years are the most common
    fragile = initiatives.filter(is_fragile_state=True).count()
    assert 0 < fragile < SIZE / 2
    assert initiatives.filter(actual_start__isnull=False).exists()


def test_about_nine_in_ten_published_and_every_other_state_present(written):
    states = Counter(Initiative.objects.values_list("state", flat=True))
    assert states[State.PUBLISHED] == 270
    assert set(states) == set(State.values)
    published = Initiative.objects.published()
    assert not published.filter(Q(published_at__isnull=True) | Q(reviewed_at__isnull=True))
    assert not published.filter(reviewed_at__lt=F("published_at"))
    assert not Initiative.objects.filter(state=State.DRAFT, published_at__isnull=False)
    assert not Initiative.objects.filter(state=State.RETURNED, review_note="")
    assert published.changed_since_review().exists()


def test_search_finds_common_and_rare_words(written):
    assert not Initiative.objects.filter(search_vector__isnull=True).exists()
    published = Initiative.objects.published()
    assert published.search("farmers").count() > 0.1 * published.count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat('SELECT search_vector FROM initiatives_initiative "
            "WHERE state = ''published''') WHERE ndoc = 1 AND word ~ '^[a-z]{6,}$' ORDER BY word"
        )
        once = [word for (word,) in cursor.fetchall()]
    assert len(once) > 20  # a long tail of words that occur in one record only
    assert published.search(f'"{once[0]}"').count() == 1


def test_about_one_in_five_records_is_translated_and_found_in_the_translations_language(written):
    translations = list(InitiativeTranslation.objects.select_related("initiative"))
    assert 0.1 * SIZE < len(translations) < 0.3 * SIZE
    assert {"es", "pt", "fr"} <= {translation.language for translation in translations}
    assert all(t.language != t.initiative.language for t in translations)
    published = Initiative.objects.published()
    for translation in translations[:10]:
        found = published.search(translation.title, translation.language)
        assert found.filter(pk=translation.initiative_id).exists() == (
            translation.initiative.state == State.PUBLISHED
        )
    others = published.exclude(language="es").exclude(translations__language="es")
    assert published.search("semillas", "es").count() > others.search("semillas", "es").count()


def test_search_vector_is_the_one_the_services_compute(written):
    def lexemes() -> dict[int, list]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.id, l.lexeme, l.weights, cardinality(l.positions) "
                "FROM initiatives_initiative i, unnest(i.search_vector) l ORDER BY 1, 2"
            )
            rows: dict[int, list] = {}
            for pk, *lexeme in cursor.fetchall():
                rows.setdefault(pk, []).append(tuple(map(str, lexeme)))
            return rows

    generated = lexemes()
    initiative_refresh_search_vector(initiative_ids=Initiative.objects.values_list("pk", flat=True))
    assert lexemes() == generated


def test_most_common_recipient_country_is_several_times_the_median(written):
    per_country = Counter(
        InitiativeCountry.objects.filter(role="recipient").values_list("country", flat=True)
    )
    counts = sorted(per_country.values())
    assert counts[-1] >= 4 * statistics.median(counts)
    owners = Counter(Initiative.objects.values_list("owner", flat=True))
    assert owners.most_common(1)[0][1] >= 4 * statistics.median(owners.values())


def test_rows_pass_model_validation(written):
    """What the forms and the admin would accept (choices, lengths, URLs, cross-field rules)."""
    for model in [
        Organisation,
        NetworkMembership,
        Initiative,
        *(part.model for part in ROW_PARTS.values()),
    ]:
        rows = list(model.objects.order_by("pk"))
        for row in rows[:: max(1, len(rows) // 40)]:  # about 40, spread over the data set
            row.full_clean()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data():
    generate(60, seed=7, progress=quietly)
    first = snapshot()
    generate(60, seed=7, replace=True, progress=quietly)
    assert snapshot() == first
    generate(60, seed=8, replace=True, progress=quietly)
    assert snapshot() != first


@pytest.mark.django_db
def test_refuses_a_database_with_real_records_and_writes_nothing():
    real = InitiativeFactory()
    for replace in (False, True):
        with pytest.raises(CommandError, match="not synthetic"):
            call_command("generate_synthetic", initiatives=50, replace=replace, stdout=StringIO())
    assert list(Initiative.objects.all()) == [real]
    assert list(Organisation.objects.all()) == [real.owner]
    assert Participation.objects.count() == 1


@pytest.mark.django_db
def test_a_real_organisation_alone_is_enough_to_refuse():
    OrganisationFactory()
    with pytest.raises(CommandError, match=r"not synthetic \(initiatives: 0, organisations: 1\)"):
        call_command("generate_synthetic", initiatives=50, replace=True, stdout=StringIO())
    assert not Initiative.objects.exists()
    assert Organisation.objects.count() == 1


def test_refuses_to_add_to_a_synthetic_data_set_without_replace(written):
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_synthetic", initiatives=50, stdout=StringIO())
    assert Initiative.objects.count() == SIZE


def test_replace_puts_a_new_data_set_in_place_of_the_old(written):
    old_slugs = set(Initiative.objects.values_list("slug", flat=True))
    out = StringIO()
    call_command("generate_synthetic", initiatives=120, seed=3, replace=True, stdout=out)
    assert Initiative.objects.count() == 120
    assert Organisation.objects.count() == 50
    assert not old_slugs & set(Initiative.objects.values_list("slug", flat=True))
    report = out.getvalue()
    assert "Removed the earlier synthetic data set (300 initiatives)" in report
    assert re.search(r"^ +initiatives +120$", report, re.MULTILINE)
    assert not Initiative.objects.filter(search_vector__isnull=True).exists()


@pytest.mark.django_db
def test_at_least_one_initiative():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_synthetic", initiatives=0, stdout=StringIO())
