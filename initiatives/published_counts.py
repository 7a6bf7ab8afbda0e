"""The counts of ``initiatives.aggregates`` for the public scope, from the facet index.

Grouped SQL over every published initiative takes seconds at a hundred thousand records
(the dashboard ran eight such queries). The facet index (``initiatives.browse.index``)
holds, for each country, sector, modality… the published initiatives having it as the bits
of an integer, so most counts are an AND and a ``bit_count()``: milliseconds. What the index
does not hold (evidence by stance) is read once per content version and kept with the
figures derived from it, per process: the version moves whenever published data changes,
so nothing is served from an older state of the data.

Only the public's scope may be counted here (the index holds published records only);
anyone who may see more is counted in SQL by ``initiatives.aggregates``.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count
from django.utils.translation import get_language

from funding.models import FundingModel
from initiatives.aggregates import (
    CountryCount,
    Flow,
    PrincipleCount,
    Tally,
    Totals,
    largest_first,
)
from initiatives.browse.index import FacetIndex, public_index
from learning.models import Lesson
from principles.models import Principle, PrincipleEvidence
from reference.models import Modality, Sector, sector_category_name


class _Derived:
    """Figures derived from one content version of the published data, by name; replaced
    as a whole when the version moves."""

    def __init__(self):
        self.version: int | None = None
        self.figures: dict = {}
        self.lock = threading.Lock()

    def get(self, index: FacetIndex, name, compute: Callable):
        with self.lock:
            if self.version != index.version:
                self.version, self.figures = index.version, {}
            if name in self.figures:
                return self.figures[name]
        value = compute()
        with self.lock:
            if self.version == index.version:
                self.figures[name] = value
        return value


_derived = _Derived()


class PublishedCounts:
    """The counts of published initiatives that charts and maps draw (the interface of
    ``initiatives.aggregates.QueryCounts``), ``within`` a subset of them if given (bits of
    the index)."""

    def __init__(self, index: FacetIndex | None = None, *, within: int | None = None):
        self.index = index or public_index()
        self.within = self.index.everything if within is None else within

    def _count(self, bits: int) -> int:
        return (bits & self.within).bit_count()

    def _values(self, facet: str) -> dict:
        return self.index.facets.get(facet, {})

    def totals(self) -> Totals:
        initiatives = self.within.bit_count()
        return Totals(initiatives=initiatives, published=initiatives)

    def _tallies(self, facet: str, vocabulary) -> list[Tally]:
        values = self._values(facet)
        return [
            Tally(row.slug, row.local_name, self._count(values[row.slug].bits))
            if row.slug in values
            else Tally(row.slug, row.local_name, 0)
            for row in vocabulary.order_by("position", "name")
        ]

    def funding_models(self) -> list[Tally]:
        return self._tallies("funding_model", FundingModel.objects.all())

    def modalities(self) -> list[Tally]:
        return self._tallies("modality", Modality.objects.all())

    def sector_categories(self, *, limit: int | None = None) -> list[Tally]:
        """As ``aggregates.tally_sector_categories``: an initiative counts once per category
        of its purpose codes; categories without initiatives are left out."""
        values = self._values("sector")
        categories: dict[str, tuple[str, int]] = {}
        for code, category, name in Sector.objects.values_list(
            "code", "category_code", "category_name"
        ):
            if code in values:
                _name, bits = categories.get(category, (name, 0))
                categories[category] = (name, bits | values[code].bits)
        counted = [
            (self._count(bits), name, category) for category, (name, bits) in categories.items()
        ]
        counted = sorted((row for row in counted if row[0]), key=lambda row: (-row[0], row[1]))
        if limit is not None:
            counted = counted[:limit]
        return [
            Tally(category, sector_category_name(category, name), n)
            for n, name, category in counted
        ]

    def principles(self) -> list[PrincipleCount]:
        """As ``aggregates.count_by_principle`` (every principle, evidence in any state)."""
        evidence = _evidence.get(self.index)
        counts = []
        for principle in Principle.objects.select_related("principle_set").order_by(
            "principle_set__name", "position", "name"
        ):
            supports, challenges, confirmed = evidence.get(principle.pk, (0, 0, 0))
            counts.append(
                PrincipleCount(
                    key=f"{principle.principle_set.slug}/{principle.slug}",
                    principle=principle.local_short_name or principle.local_name,
                    principle_set=principle.principle_set.local_name,
                    supports=self._count(supports),
                    challenges=self._count(challenges),
                    confirmed=self._count(confirmed),
                )
            )
        return counts

    def start_years(self) -> list[tuple[int | None, int]]:
        """As ``aggregates.count_by_start_year``: oldest first, ``None`` (no year) last."""
        counts = []
        with_year = 0
        for year, option in self._values("year").items():
            with_year |= option.bits
            if n := self._count(option.bits):
                counts.append((int(year), n))
        counts.sort()
        if without := self._count(self.index.everything & ~with_year):
            counts.append((None, without))
        return counts

    def countries(self) -> list[CountryCount]:
        """As ``aggregates.count_by_country``."""
        providers, recipients = self._values("provider"), self._values("recipient")
        counts = []
        for code in providers.keys() | recipients.keys():
            provides = providers[code].bits if code in providers else 0
            receives = recipients[code].bits if code in recipients else 0
            if n := self._count(provides | receives):
                counts.append(
                    CountryCount(
                        code=code,
                        as_provider=self._count(provides),
                        as_recipient=self._count(receives),
                        initiatives=n,
                    )
                )
        return sorted(counts, key=lambda country: (-country.initiatives, country.name))

    def flows(self, *, involving: str | None = None) -> list[Flow]:
        """As ``aggregates.count_flows`` (largest first), only those to or from
        ``involving`` (a country code) if given."""
        if involving is None and self.within == self.index.everything:
            # Every pair of countries, kept per process and brought up to date for the
            # initiatives each change touches (see _PairCounts); sorted once per version.
            return _derived.get(self.index, ("flows", get_language()), self._every_flow)
        return self._flows(involving)

    def _every_flow(self) -> list[Flow]:
        pairs = _pair_counts.get(self.index).items()
        return largest_first(Flow(provider, recipient, n) for (provider, recipient), n in pairs)

    def _flows(self, involving: str | None = None) -> list[Flow]:
        providers, recipients = self._values("provider"), self._values("recipient")
        flows = []
        for provider, provides in providers.items():
            sent = provides.bits & self.within
            if not sent:
                continue
            if involving is None or provider == involving:
                candidates = recipients.items()
            elif involving in recipients:
                candidates = [(involving, recipients[involving])]
            else:
                continue
            for recipient, receives in candidates:
                if recipient != provider and (n := (sent & receives.bits).bit_count()):
                    flows.append(Flow(provider, recipient, n))
        return largest_first(flows)


def _pairs_of(index: FacetIndex, pk: int) -> list[tuple[str, str]]:
    """The provider → recipient pairs of initiative ``pk`` in ``index`` (none if it is not
    published there)."""
    k = index.ordinal.get(pk)
    if k is None or k >= index.width or not index.alive >> k & 1:
        return []
    providers = [code for code, option in index.facets["provider"].items() if option.bits >> k & 1]
    recipients = [
        code for code, option in index.facets["recipient"].items() if option.bits >> k & 1
    ]
    return [(p, r) for p in providers for r in recipients if p != r]


def _every_pair(index: FacetIndex) -> dict[tuple[str, str], int]:
    """How many published initiatives each provider → recipient pair has: some ten thousand
    ANDs of the index's bits (a large part of a second at 100,000 records)."""
    counts = {}
    recipients = index.facets.get("recipient", {})
    for provider, provides in index.facets.get("provider", {}).items():
        for recipient, receives in recipients.items():
            if recipient != provider and (n := (provides.bits & receives.bits).bit_count()):
                counts[(provider, recipient)] = n
    return counts


class _PairCounts:
    """The pair counts of the latest index this process counted, brought up to date when
    the index moves: for the initiatives changed since, their pairs in the older index are
    taken away and those in the newer one added (milliseconds), rather than counted again."""

    def __init__(self):
        self.index: FacetIndex | None = None
        self.counts: dict[tuple[str, str], int] = {}
        self.lock = threading.Lock()

    def get(self, index: FacetIndex) -> dict[tuple[str, str], int]:
        with self.lock:
            held, counts = self.index, self.counts
        if held is not None and held.version == index.version and held.pks is index.pks:
            return counts
        changed = None
        if held is not None and held.pks is index.pks and held.version < index.version:
            changed = index.changed_since(held.version)  # same lineage: bits mean the same
        if changed is None:
            counts = _every_pair(index)
        else:
            counts = dict(counts)
            for pk in changed:
                for pair in _pairs_of(held, pk):
                    counts[pair] -= 1
                    if not counts[pair]:
                        del counts[pair]
                for pair in _pairs_of(index, pk):
                    counts[pair] = counts.get(pair, 0) + 1
        with self.lock:
            if self.index is None or self.index.version <= index.version:
                self.index, self.counts = index, counts
        return counts


_pair_counts = _PairCounts()


def _evidence_rows(index: FacetIndex, rows, held: dict | None = None) -> dict:
    """Per principle, the published initiatives with evidence that supports it, that
    challenges it, and that a partner confirmed (bits), from evidence ``rows`` grouped by
    principle, stance and confirmation with their initiatives; added to ``held``."""
    Stance, Confirmation = PrincipleEvidence.Stance, PrincipleEvidence.Confirmation
    evidence = {principle: list(bits) for principle, bits in (held or {}).items()}
    for principle, stance, confirmation, pks in rows.annotate(
        pks=ArrayAgg("initiative_id")
    ).order_by():
        bits = index.bits_of(pks)
        kept = evidence.setdefault(principle, [0, 0, 0])
        if stance == Stance.SUPPORTS:
            kept[0] |= bits
        elif stance == Stance.CHALLENGES:
            kept[1] |= bits
        if confirmation == Confirmation.CONFIRMED:
            kept[2] |= bits
    return {principle: tuple(bits) for principle, bits in evidence.items()}


def _grouped_evidence():
    return PrincipleEvidence.objects.values_list("principle", "stance", "confirmation")


class _EvidenceBits:
    """The evidence bits of the latest index this process counted (one grouped read of all
    the evidence, a large part of a second at 100,000 records), brought up to date when the
    index moves: the initiatives changed since are cleared and their evidence read again."""

    def __init__(self):
        self.index: FacetIndex | None = None
        self.evidence: dict = {}
        self.lock = threading.Lock()

    def get(self, index: FacetIndex) -> dict:
        with self.lock:
            held, evidence = self.index, self.evidence
        if held is not None and held.version == index.version and held.pks is index.pks:
            return evidence
        changed = None
        if held is not None and held.pks is index.pks and held.version < index.version:
            changed = index.changed_since(held.version)  # same lineage: bits mean the same
        if changed is None:
            evidence = _evidence_rows(index, _grouped_evidence())
        else:
            cleared = index.bits_of(changed)
            kept = {
                principle: tuple(bits & ~cleared for bits in held_bits)
                for principle, held_bits in evidence.items()
            }
            rows = _grouped_evidence().filter(initiative_id__in=list(changed))
            evidence = _evidence_rows(index, rows, kept)
        with self.lock:
            if self.index is None or self.index.version <= index.version:
                self.index, self.evidence = index, evidence
        return evidence


_evidence = _EvidenceBits()


@dataclass(frozen=True)
class LessonCounts:
    """How many lessons each published initiative has, as layers of bits of an index: the
    first holds the initiatives with at least one lesson, the second those with at least
    two… (an initiative with three lessons has its bit in the first three)."""

    layers: tuple[int, ...]

    @property
    def with_lessons(self) -> int:
        return self.layers[0] if self.layers else 0

    def total(self, within: int) -> int:
        """How many lessons the initiatives ``within`` (bits) have."""
        return sum((within & layer).bit_count() for layer in self.layers)


def _lesson_counts(index: FacetIndex, rows, held: LessonCounts | None = None) -> LessonCounts:
    """``held`` with the lessons counted in ``rows`` ((initiative pk, lessons)) added, for
    the initiatives published in ``index``."""
    by_count: dict[int, list[int]] = {}
    for pk, lessons in rows:
        by_count.setdefault(lessons, []).append(pk)
    layers = list(held.layers) if held else []
    layers.extend([0] * (max(by_count, default=0) - len(layers)))
    for lessons, pks in by_count.items():
        bits = index.bits_of(pks) & index.alive  # no lesson of an unpublished one counts
        for at in range(lessons):
            layers[at] |= bits
    return LessonCounts(tuple(layers))


def _grouped_lessons():
    return Lesson.objects.values_list("initiative").annotate(n=Count("pk")).order_by()


class _PublishedLessons:
    """The lesson counts of the latest index this process read (one grouped read of every
    lesson), brought up to date when the index moves: a change to a lesson of a published
    initiative is a change to the initiative (migration ``0015``), whose count is read again."""

    def __init__(self):
        self.index: FacetIndex | None = None
        self.counts: LessonCounts | None = None
        self.lock = threading.Lock()

    def get(self, index: FacetIndex) -> LessonCounts:
        with self.lock:
            held, counts = self.index, self.counts
        if held is not None and held.version == index.version and held.pks is index.pks:
            return counts
        changed = None
        if held is not None and held.pks is index.pks and held.version < index.version:
            changed = index.changed_since(held.version)  # same lineage: bits mean the same
        if changed is None:
            counts = _lesson_counts(index, _grouped_lessons())
        else:
            cleared = index.bits_of(changed)
            kept = LessonCounts(tuple(layer & ~cleared for layer in counts.layers))
            rows = _grouped_lessons().filter(initiative__in=list(changed))
            counts = _lesson_counts(index, rows, kept)
        with self.lock:
            if self.index is None or self.index.version <= index.version:
                self.index, self.counts = index, counts
        return counts


_published_lessons = _PublishedLessons()


def lesson_counts(index: FacetIndex | None = None) -> LessonCounts:
    """The lessons of the published initiatives, counted (see :class:`LessonCounts`)."""
    return _published_lessons.get(index or public_index())


def involving_country(code: str, index: FacetIndex | None = None) -> PublishedCounts:
    """The counts of the published initiatives ``code`` provides or receives."""
    index = index or public_index()
    bits = 0
    for facet in ("provider", "recipient"):
        if code in index.facets.get(facet, {}):
            bits |= index.facets[facet][code].bits
    return PublishedCounts(index, within=bits)
