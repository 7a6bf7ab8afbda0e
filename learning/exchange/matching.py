"""Which open listings answer a listing: offers for a request, requests for an offer.

:func:`matches` is pure: it reads :class:`Profile` values (built from listings whose
countries and practice themes were fetched beforehand, see :func:`profile_of`) and touches
no database, so that the rules below can be read, and tested, as a table.

The rules, and why:

1. **Opposite kinds only**, and never the listing's own organisation: an offer answers a
   request, and an organisation does not need the portal to talk to itself.
2. **A common subject is required**: the same practice, or a common theme. A practice's
   themes count as the listing's themes, so that a request about "seeds and agroecology"
   meets an offer of community native seed banks (a practice of that theme).
3. **A common language is required**: two organisations that share no language cannot learn
   from each other without an interpreter, and the portal cannot promise one. A listing
   names the languages the exchange can take place in, so this is what its authors said.
4. **The score** ranks what is left: the same practice (100) weighs more than a common theme
   alone (40); working with the same country adds 20, with another country of the same
   region 10. Languages are not scored beyond being required: two common languages do not
   make a better match than one. Ties go to the listing open longest, then by title.

Every point of the score comes with a :class:`Reason` a reader is shown ("same practice:
community native seed banks", "common language: Portuguese", "same region: Sub-Saharan
Africa"), so a ranking never has to be taken on trust.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from initiatives.indexes import region_name

SAME_PRACTICE = 100
COMMON_THEME = 40
SAME_COUNTRY = 20
SAME_REGION = 10


@dataclass(frozen=True)
class Profile:
    """What matching reads of a listing."""

    pk: int
    kind: str
    organisation_id: int
    title: str = ""
    open_until: date = date.max
    practice: tuple[int, str] | None = None  # (id, name)
    themes: dict[int, str] = field(default_factory=dict)  # its theme and its practice's
    languages: frozenset[str] = frozenset()
    countries: dict[str, str] = field(default_factory=dict)  # code: name
    regions: frozenset[str] = frozenset()  # World Bank regions of its countries


@dataclass(frozen=True)
class Reason:
    """Why two listings match: ``kind`` (practice, theme, language, country, region) and the
    thing they share, named for a reader."""

    kind: str
    name: str

    @property
    def text(self) -> str:
        return reason_text(self.kind, self.name)


def reason_text(kind: str, name: str) -> str:
    if kind == "practice":
        return _("Same practice: %(name)s") % {"name": name}
    if kind == "theme":
        return _("Same theme: %(name)s") % {"name": name}
    if kind == "language":
        return _("Common language: %(name)s") % {"name": name}
    if kind == "country":
        return _("Same country: %(name)s") % {"name": name}
    return _("Same region: %(name)s") % {"name": name}


@dataclass(frozen=True)
class Match:
    profile: Profile
    score: int
    reasons: tuple[Reason, ...]


def match(listing: Profile, other: Profile, *, language_names: dict[str, str]) -> Match | None:
    """How well ``other`` answers ``listing``, or None when it does not (rules 1 to 3)."""
    if other.kind == listing.kind or other.organisation_id == listing.organisation_id:
        return None
    languages = sorted(
        language_names.get(code, code) for code in listing.languages & other.languages
    )
    if not languages:
        return None
    reasons: list[Reason] = []
    score = 0
    if listing.practice is not None and listing.practice == other.practice:
        score += SAME_PRACTICE
        reasons.append(Reason("practice", listing.practice[1]))
    else:
        common = sorted(
            (listing.themes.keys() & other.themes.keys()), key=lambda pk: listing.themes[pk]
        )
        if not common:
            return None
        score += COMMON_THEME
        reasons.extend(Reason("theme", listing.themes[pk]) for pk in common)
    reasons.extend(Reason("language", name) for name in languages)
    countries = sorted(listing.countries.keys() & other.countries.keys())
    if countries:
        score += SAME_COUNTRY
        reasons.extend(Reason("country", listing.countries[code]) for code in countries)
    else:
        regions = sorted(listing.regions & other.regions)
        if regions:
            score += SAME_REGION
            reasons.extend(Reason("region", region_name(region)) for region in regions)
    return Match(other, score, tuple(reasons))


def matches(
    listing: Profile, candidates: Iterable[Profile], *, language_names: dict[str, str]
) -> list[Match]:
    """The candidates that answer ``listing``, best first (see the module's rules)."""
    found = [
        found
        for other in candidates
        if other.pk != listing.pk
        and (found := match(listing, other, language_names=language_names)) is not None
    ]
    found.sort(
        key=lambda m: (-m.score, -m.profile.open_until.toordinal(), m.profile.title, m.profile.pk)
    )
    return found
