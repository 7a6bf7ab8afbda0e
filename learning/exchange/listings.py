"""Reads of exchange listings shared by the pages and the API: what a listing row needs,
and the listings that match one (see :mod:`learning.exchange.matching`)."""

from django.db.models import Prefetch, Q, QuerySet

from initiatives.models.translations import ContentLanguage
from learning.exchange.matching import Match, Profile, matches
from learning.models import Listing, Practice, Theme
from learning.practices.content import practice_text
from reference.models import Country

# The most matches a listing shows: the best ones.
MATCHES_SHOWN = 10


def for_display(listings: QuerySet, *, for_matching: bool = True) -> QuerySet:
    """``listings`` with what a row or a detail shows (and, ``for_matching``, what matching
    reads), in a fixed number of queries whatever the number of rows."""
    listings = listings.select_related("organisation", "practice", "theme").prefetch_related(
        Prefetch("countries", queryset=Country.objects.order_by("code")),
        "practice__translations",
    )
    if for_matching:
        listings = listings.prefetch_related(
            Prefetch("practice__themes", queryset=Theme.objects.all())
        )
    return listings


def language_names() -> dict[str, str]:
    """Record language codes and their names in the active language."""
    return {code: str(label) for code, label in ContentLanguage.choices}


def profile_of(listing: Listing) -> Profile:
    """What matching reads of ``listing`` (fetched through :func:`for_display`)."""
    themes = {}
    if listing.theme_id:
        themes[listing.theme_id] = listing.theme.local_name
    if listing.practice_id:
        themes.update({theme.pk: theme.local_name for theme in listing.practice.themes.all()})
    countries = list(listing.countries.all())
    return Profile(
        pk=listing.pk,
        kind=listing.kind,
        organisation_id=listing.organisation_id,
        title=listing.title,
        open_until=listing.open_until,
        practice=(listing.practice_id, practice_text(listing.practice).name.text)
        if listing.practice_id
        else None,
        themes=themes,
        languages=frozenset(listing.languages),
        countries={country.code.code: country.name for country in countries},
        regions=frozenset(country.region for country in countries if country.region),
    )


def candidates_for(listing: Listing) -> QuerySet:
    """Open listings that may answer ``listing``: the other kind, another organisation, a
    common language, and the same practice or a common theme (the rules matching checks
    again, here so that the database sends only what may match)."""
    themes = set()
    if listing.theme_id:
        themes.add(listing.theme_id)
    if listing.practice_id:
        themes.update(theme.pk for theme in listing.practice.themes.all())
    subject = Q(theme__in=themes) | Q(practice__themes__in=themes)
    if listing.practice_id:
        subject |= Q(practice=listing.practice_id)
    ids = (
        Listing.objects.open()
        .exclude(kind=listing.kind)
        .exclude(organisation=listing.organisation_id)
        .filter(languages__overlap=listing.languages)
        .filter(subject)
        .values("pk")
    )
    return for_display(Listing.objects.filter(pk__in=ids))


def matches_for(listing: Listing) -> list[tuple[Listing, Match]]:
    """The open listings that answer ``listing``, best first, with the reasons: two queries
    (the candidates and their countries) plus one for their practices' themes and one for
    their practices' translations."""
    candidates = {other.pk: other for other in candidates_for(listing)}
    names = language_names()
    found = matches(
        profile_of(listing), (profile_of(c) for c in candidates.values()), language_names=names
    )
    return [(candidates[m.profile.pk], m) for m in found[:MATCHES_SHOWN]]


def accepted_practices() -> QuerySet:
    return Practice.objects.accepted().order_by("name")
