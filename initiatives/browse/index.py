"""Facet counts of the public list from an in-memory bitmap index.

Counting facets in SQL means one grouped join per facet over every published initiative; at
a hundred thousand records that takes seconds. Here each facet value (a country, a sector…)
holds the set of published initiatives that have it, as the bits of a Python integer (bit
``k`` is the ``k``-th initiative, newest first). Applying the other filters is then an AND
of a few integers, and a count is ``int.bit_count()``: a few milliseconds for every facet.

The index covers the public scope only (published records). It is built from the database in
two queries, from the rows each facet declares (``initiatives.browse.facets``), and kept with
the *content version* it was built at (see initiatives migration
``0005_squashed_0006_year_ranges_and_document_help``: database triggers move it on any change
to the tables the facets declare they read; a test checks that each of them has its trigger);
every request reads that version first, so an index is never used once the data has moved,
whichever process made the change. Callers whose scope differs (editors, moderators) or who
use a filter the index does not hold get ``None`` from :func:`public_facet_rows` and count
in SQL instead.
"""

import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import F, JSONField, QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.utils.translation import get_language

from initiatives.browse.facets import FACETS, Rows
from initiatives.browse.filters import NEWEST, RELEVANCE, InitiativeFilterSet
from initiatives.models import Initiative, content_language

# Filters whose values the index holds (every facet's own, not their qualifiers); any other
# filter in use means counting in SQL.
INDEXED = tuple(facet.name for facet in FACETS)


def content_version() -> int:
    """The current content version (one indexed read of a one-row table)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM initiatives_content_version WHERE id = 1")
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class Option:
    """One facet value: the initiatives that have it, and how to name and place it."""

    bits: int
    label: str = ""
    translated: dict = field(default_factory=dict, compare=False)
    position: int = 0

    def label_in(self, language: str) -> str:
        return self.translated.get(language) or self.label


@dataclass(frozen=True)
class SearchHits:
    """What one search finds among the published records."""

    bits: int  # the initiatives found
    ranked: array  # their pks, best match first (8 bytes each, not a Python int each)


@dataclass(frozen=True)
class FacetIndex:
    version: int
    size: int  # published initiatives
    facets: dict[str, dict[str, Option]]
    ordinal: dict[int, int] = field(repr=False)  # initiative pk -> bit
    pks: list[int] = field(repr=False)  # bit -> initiative pk (newest first)
    # The latest searches at this version, by language and text (a word finds more under
    # the configuration of a language). Ranking every match of a common word is most of a
    # search's cost (about a quarter of a second for 50,000 matches), and people repeat
    # searches; the results go with the index when the data changes.
    searches: OrderedDict = field(default_factory=OrderedDict, repr=False, compare=False)
    searches_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    SEARCHES_KEPT = 32

    def search(self, text: str, language: str | None = None) -> SearchHits:
        """The published initiatives matching ``text`` in ``language`` (by default the
        active one: words are also matched under its configuration), ranked as the list
        ranks them."""
        key = (content_language(language or get_language()), text)
        with self.searches_lock:
            hits = self.searches.get(key)
            if hits is not None:
                self.searches.move_to_end(key)
                return hits
        found = (
            Initiative.objects.visible_to(None).search(text, key[0]).values_list("pk", flat=True)
        )
        ranked = array("q", found)
        hits = SearchHits(self.bits_of(ranked), ranked)
        with self.searches_lock:
            self.searches[key] = hits
            while len(self.searches) > self.SEARCHES_KEPT:
                self.searches.popitem(last=False)
        return hits

    def bits_of(self, pks: Iterable[int]) -> int:
        return _bits(pks, self.ordinal, self.size)

    @property
    def everything(self) -> int:
        return (1 << self.size) - 1

    def selection(self, name: str, values: Iterable[str]) -> int:
        """Initiatives having any of ``values`` in facet ``name``."""
        bits = 0
        for value in values:
            if value in self.facets[name]:
                bits |= self.facets[name][value].bits
        return bits

    def narrowed(self, filterset: InitiativeFilterSet, *, matching: int) -> int:
        """The initiatives every filter in use lets through (and ``matching``)."""
        for name in INDEXED:
            if filterset.selected(name):
                matching &= self.selection(name, filterset.selected(name))
        return matching

    def pks_between(self, bits: int, start: int, stop: int) -> list[int]:
        """The pks of the ``start``-th to ``stop``-th initiatives in ``bits``, newest first."""
        found: list[int] = []
        seen = 0
        for offset, byte in enumerate(bits.to_bytes((self.size + 7) // 8, "little")):
            if not byte:
                continue
            ones = byte.bit_count()
            if seen + ones <= start:
                seen += ones
                continue
            for bit in range(8):
                if byte >> bit & 1:
                    if start <= seen < stop:
                        found.append(self.pks[offset * 8 + bit])
                    seen += 1
            if seen >= stop:
                break
        return found

    def rows(self, filterset: InitiativeFilterSet, *, matching: int) -> dict[str, list[dict]]:
        """Each facet's rows (as the SQL counting returns them) under ``filterset``'s
        filters, every facet leaving its own out; ``matching`` narrows everything (the
        initiatives a search finds, or :attr:`everything`)."""
        masks = {
            name: self.selection(name, filterset.selected(name))
            for name in INDEXED
            if filterset.selected(name)
        }
        language = (get_language() or "en")[:2]
        rows: dict[str, list[dict]] = {}
        for name, values in self.facets.items():
            scope = matching
            for other, mask in masks.items():
                if other != name:
                    scope &= mask
            rows[name] = [
                {
                    "facet_value": key,
                    "facet_label": value.label_in(language),
                    "facet_position": value.position,
                    "facet_count": (value.bits & scope).bit_count(),
                }
                for key, value in values.items()
            ]
        return rows


# ---- building ----


def _bits(pks: Iterable[int], ordinal: dict[int, int], size: int) -> int:
    flags = bytearray((size + 7) // 8)
    for pk in pks:
        k = ordinal.get(pk)
        if k is not None:
            flags[k >> 3] |= 1 << (k & 7)
    return int.from_bytes(flags, "little")


def _grouped(name: str, rows: Rows, queryset: QuerySet) -> QuerySet:
    """One facet's values, each with its initiatives (``pks``) and how to show it."""
    columns = {
        "label": Cast(F(rows.label) if rows.label else Value(""), TextField()),
        "translated": (
            F(rows.translated) if rows.translated else Value({}, output_field=JSONField())
        ),
        "position": F(rows.position) if rows.position else Value(0),
    }
    value = F(rows.value) if isinstance(rows.value, str) else rows.value
    return (
        queryset.order_by()
        .values(facet_value=Cast(value, TextField()), **columns)
        .annotate(pks=ArrayAgg(rows.initiative), facet_name=Value(name))
    )


def build_index(version: int) -> FacetIndex:
    """The index of what is published now, in two queries."""
    published = Initiative.objects.visible_to(None)  # what the public sees
    pks = list(published.newest_first().values_list("pk", flat=True))
    ordinal = {pk: k for k, pk in enumerate(pks)}
    size = len(pks)
    # Rows of related tables are read whole, without joining the initiatives: those of
    # unpublished initiatives have no bit in ``ordinal`` and are dropped by ``_bits``.
    parts = [
        _grouped(facet.name, rows, rows.of(published, whole=True))
        for facet in FACETS
        for rows in facet.rows
    ]
    facets: dict[str, dict[str, Option]] = {name: {} for name in INDEXED}
    for row in parts[0].union(*parts[1:], all=True):
        if row["facet_value"] is None:
            continue
        facets[row["facet_name"]][row["facet_value"]] = Option(
            bits=_bits(row["pks"], ordinal, size),
            label=row["label"],
            translated=row["translated"] or {},
            position=row["position"] or 0,
        )
    return FacetIndex(version=version, size=size, facets=facets, ordinal=ordinal, pks=pks)


class _Latest:
    """The index most recently built in this process, with the version it was built at.

    It is derived data, replaced as a whole (never changed in place) and used only while
    the database's content version still equals its own."""

    def __init__(self):
        self.index: FacetIndex | None = None
        self.lock = threading.Lock()

    def get(self) -> FacetIndex:
        version = content_version()
        index = self.index
        if index is not None and index.version == version:
            return index
        with self.lock:
            # A change made while building moves the version on, so the next request builds
            # again: an index is never used at a version whose data it does not hold.
            if self.index is None or self.index.version != version:
                self.index = build_index(version)
            return self.index


_latest = _Latest()


def public_index() -> FacetIndex:
    """The index of what is published now (see :class:`_Latest`)."""
    return _latest.get()


def _answerable(filterset: InitiativeFilterSet, *, public: bool) -> bool:
    in_use = {name for name in filterset.NARROWING if filterset.selected(name)}
    return public and not in_use - set(INDEXED) - {"q"}


def _matching(index: FacetIndex, filterset: InitiativeFilterSet) -> int:
    """What the search (if any) finds, as bits."""
    if not filterset.selected("q"):
        return index.everything
    return index.search(filterset.cleaned_data["q"]).bits


def public_facet_rows(filterset: InitiativeFilterSet, *, public: bool) -> dict | None:
    """Facet rows for the public scope from the index, or ``None`` when the index cannot
    answer (a scope with unpublished records, or a filter it does not hold)."""
    if not _answerable(filterset, public=public):
        return None
    index = public_index()
    return index.rows(filterset, matching=_matching(index, filterset))


class IndexedResults:
    """The results of the public list, newest first, as a sequence ``Paginator`` can page:
    its length is a bit count and a slice loads just the rows of that page."""

    ordered = True  # newest first, by construction

    def __init__(self, index: FacetIndex, bits: int, rows: QuerySet):
        self.index, self.bits, self.rows = index, bits, rows

    def count(self) -> int:
        return self.bits.bit_count()

    __len__ = count

    def __getitem__(self, page: slice) -> list[Initiative]:
        pks = self.index.pks_between(self.bits, page.start or 0, page.stop)
        by_pk = {initiative.pk: initiative for initiative in self.rows.filter(pk__in=pks)}
        return [by_pk[pk] for pk in pks if pk in by_pk]


class RankedResults:
    """The results of a public search, best match first: the ranking comes from the index's
    search, each page loads just its rows."""

    ordered = True

    def __init__(self, index: FacetIndex, bits: int, ranked: array, rows: QuerySet):
        self.index, self.bits, self.ranked, self.rows = index, bits, ranked, rows

    def count(self) -> int:
        return self.bits.bit_count()

    __len__ = count

    def __getitem__(self, page: slice) -> list[Initiative]:
        start, stop = page.start or 0, page.stop
        flags = self.bits.to_bytes((self.index.size + 7) // 8, "little")
        ordinal = self.index.ordinal
        pks: list[int] = []
        seen = 0
        for pk in self.ranked:
            k = ordinal.get(pk)
            if k is not None and flags[k >> 3] >> (k & 7) & 1:
                if seen >= start:
                    pks.append(pk)
                seen += 1
                if seen >= stop:
                    break
        by_pk = {initiative.pk: initiative for initiative in self.rows.filter(pk__in=pks)}
        return [by_pk[pk] for pk in pks if pk in by_pk]


class CountedResults:
    """Results in an order only SQL knows (best match first, by title…), whose number the
    index gives: ``Paginator`` then skips SQL's ``COUNT`` over every match."""

    ordered = True  # what Paginator checks; the queryset below is ordered

    def __init__(self, total: int, rows: QuerySet):
        self.total, self.rows = total, rows

    def count(self) -> int:
        return self.total

    __len__ = count

    def __getitem__(self, page: slice) -> list[Initiative]:
        return list(self.rows[page])


def public_results(filterset: InitiativeFilterSet, rows: QuerySet, *, public: bool):
    """The list's results with help from the index when it can give it (the public scope),
    else ``None``. Newest first or best match first, the page itself comes from the index;
    in other orders the index gives the number of results. ``rows`` says how each row is
    loaded."""
    if not _answerable(filterset, public=public):
        return None
    index = public_index()
    bits = index.narrowed(filterset, matching=_matching(index, filterset))
    if filterset.ordering_key == NEWEST:
        return IndexedResults(index, bits, rows)
    if filterset.ordering_key == RELEVANCE:
        return RankedResults(index, bits, index.search(filterset.cleaned_data["q"]).ranked, rows)
    return CountedResults(bits.bit_count(), filterset.qs.for_listing())
