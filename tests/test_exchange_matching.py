"""Matching offers and requests (learning/exchange/matching.py): who answers whom, in what
order, and the reasons a reader is shown."""

from datetime import date

import pytest

from learning.exchange.matching import Profile, matches

SEED_BANKS = (1, "Community native seed banks")
SCORECARDS = (2, "Community scorecards")
SEEDS = {10: "Seeds and agroecology"}
ACCOUNTABILITY = {11: "Social accountability"}
LANGUAGES = {"pt": "Portuguese", "es": "Spanish", "en": "English", "fr": "French"}
MOZAMBIQUE = ({"MZ": "Mozambique"}, frozenset({"Sub-Saharan Africa"}))
SOUTH_AFRICA = ({"ZA": "South Africa"}, frozenset({"Sub-Saharan Africa"}))
INDIA = ({"IN": "India"}, frozenset({"South Asia"}))

# The Brazilian offer every row of the table is matched against.
OFFER = Profile(
    pk=1,
    kind="offer",
    organisation_id=100,
    title="Community native seed banks",
    practice=SEED_BANKS,
    themes=SEEDS,
    languages=frozenset({"pt", "es"}),
    countries={"MZ": "Mozambique", "ZA": "South Africa"},
    regions=frozenset({"Sub-Saharan Africa"}),
)

_pk = iter(range(2, 1000))


def request(*, title, organisation=200, practice=None, themes=None, languages=("pt",),
            where=({}, frozenset()), kind="request", open_until=date(2030, 1, 1)):  # fmt: skip
    countries, regions = where
    return Profile(
        pk=next(_pk),
        kind=kind,
        organisation_id=organisation,
        title=title,
        open_until=open_until,
        practice=practice,
        themes=themes or {},
        languages=frozenset(languages),
        countries=countries,
        regions=regions,
    )


def ranked(candidates):
    return [
        (m.profile.title, [r.text for r in m.reasons])
        for m in matches(OFFER, candidates, language_names=LANGUAGES)
    ]


def test_the_same_practice_ranks_before_a_common_theme_and_place_breaks_ties():
    candidates = [
        request(title="Seed theme, Mozambique", themes=SEEDS, where=MOZAMBIQUE),
        request(title="Seed banks, India", practice=SEED_BANKS, themes=SEEDS, where=INDIA),
        request(
            title="Seed banks, Mozambique", practice=SEED_BANKS, themes=SEEDS, where=MOZAMBIQUE
        ),
        request(title="Seed banks, South Africa", practice=SEED_BANKS, where=SOUTH_AFRICA),
        request(title="Seed theme, nowhere", themes=SEEDS),
    ]
    assert ranked(candidates) == [
        (
            "Seed banks, Mozambique",
            [
                "Same practice: Community native seed banks",
                "Common language: Portuguese",
                "Same country: Mozambique",
            ],
        ),
        (
            "Seed banks, South Africa",
            [
                "Same practice: Community native seed banks",
                "Common language: Portuguese",
                "Same country: South Africa",
            ],
        ),
        (
            "Seed banks, India",
            ["Same practice: Community native seed banks", "Common language: Portuguese"],
        ),
        (
            "Seed theme, Mozambique",
            [
                "Same theme: Seeds and agroecology",
                "Common language: Portuguese",
                "Same country: Mozambique",
            ],
        ),
        (
            "Seed theme, nowhere",
            ["Same theme: Seeds and agroecology", "Common language: Portuguese"],
        ),
    ]


@pytest.mark.parametrize(
    ("candidate", "why_not"),
    [
        (request(title="x", practice=SEED_BANKS, kind="offer"), "two offers"),
        (request(title="x", practice=SEED_BANKS, organisation=100), "its own organisation"),
        (request(title="x", practice=SEED_BANKS, languages=("fr", "en")), "no common language"),
        (request(title="x", practice=SCORECARDS, themes=ACCOUNTABILITY), "another subject"),
        (request(title="x", themes=ACCOUNTABILITY, where=MOZAMBIQUE), "a place is not enough"),
    ],
)
def test_what_does_not_match(candidate, why_not):
    assert ranked([candidate]) == [], why_not


def test_another_country_of_the_same_region_is_named_as_the_region():
    candidate = request(
        title="Seeds in Malawi",
        themes=SEEDS,
        languages=("es", "pt"),
        where=({"MW": "Malawi"}, frozenset({"Sub-Saharan Africa"})),
    )
    assert ranked([candidate]) == [
        (
            "Seeds in Malawi",
            [
                "Same theme: Seeds and agroecology",
                "Common language: Portuguese",
                "Common language: Spanish",
                "Same region: Sub-Saharan Africa",
            ],
        )
    ]


def test_a_practice_themes_count_as_the_listing_themes():
    """A request about a theme meets an offer of a practice of that theme."""
    candidate = request(title="Learning about seeds", themes=SEEDS)
    assert ranked([candidate])[0][1][0] == "Same theme: Seeds and agroecology"


def test_equal_scores_go_to_the_listing_open_longest():
    sooner = request(title="A sooner", practice=SEED_BANKS, open_until=date(2027, 1, 1))
    later = request(title="B later", practice=SEED_BANKS, open_until=date(2028, 1, 1))
    assert [title for title, _ in ranked([sooner, later])] == ["B later", "A sooner"]


def test_more_common_languages_do_not_rank_higher():
    one = request(title="A one language", practice=SEED_BANKS, languages=("pt",))
    two = request(title="B two languages", practice=SEED_BANKS, languages=("pt", "es"))
    assert [title for title, _ in ranked([two, one])] == ["A one language", "B two languages"]
