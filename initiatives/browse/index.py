"""Facet counts of the public list from an in-memory bitmap index.

Counting facets in SQL means one grouped join per facet over every published initiative; at
a hundred thousand records that takes seconds. Here each facet value (a country, a sector…)
holds the set of published initiatives that have it, as the bits of a Python integer (bit
``k`` is the ``k``-th initiative in publication order, so the highest bits are the newest).
Applying the other filters is then an AND of a few integers, and a count is
``int.bit_count()``: a few milliseconds for every facet.

The index covers the public scope only (published records). It is built from the database in
two queries, from the rows each facet declares (``initiatives.browse.facets``), and kept with
the *content version* it holds. Database triggers (initiatives migration
``0014_public_changes``) move that version on every change a visitor could see — a
publication, an edit of a published record or of its rows, an archive — and log which
initiatives it touched; drafts, submissions and returns move nothing. Every request reads the
version first (one indexed query, which also returns the log since the index's version), so
an index is never used once the published data has moved, whichever process made the change:

- nothing public changed: the index is used as it is;
- some initiatives changed: the index is *updated* for them alone — their bits cleared
  everywhere, their current facet values read (two small queries) and set — in a few
  milliseconds, and a record published since takes the next bit (it is the newest);
- anything else (a vocabulary renamed, thousands of records at once, a record published
  out of order, a log pruned past the index's version): the index is built again.

Callers whose scope differs (editors, moderators) or who use a filter the index does not hold
get ``None`` from :func:`public_facet_rows` and count in SQL instead.
"""

import bisect
import json
import math
import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import F, JSONField, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import get_language

from initiatives.browse.facets import FACETS, Rows
from initiatives.browse.filters import NEWEST, RELEVANCE, InitiativeFilterSet
from initiatives.models import Initiative, content_language

# Filters whose values the index holds (every facet's own, not their qualifiers); any other
# filter in use means counting in SQL.
INDEXED = tuple(facet.name for facet in FACETS)

# More initiatives changed at once than this (a bulk load, a script), and the index is built
# again rather than updated.
MOST_UPDATED = 2000
# How many updates an index remembers the initiatives of, so that a remembered search can be
# brought up to date rather than run again.
UPDATES_REMEMBERED = 64
# How long the log of public changes is kept (a web process idle for longer rebuilds).
CHANGES_KEPT = timedelta(days=1)


def content_version() -> int:
    """The current content version (one indexed read of a one-row table)."""
    return changes_since(-1, listed=False).version


@dataclass(frozen=True)
class Changes:
    """What changed in the published data since some version."""

    version: int  # the current version
    initiatives: frozenset[int] | None  # None: too much to update, build again
    # Whether this connection's transaction has written and not committed yet: what it reads
    # may never be committed (a rollback), so an index read now is only provisional.
    uncommitted: bool = False


def changes_since(version: int, *, listed: bool = True) -> Changes:
    """The current version and the initiatives whose public face changed after ``version``
    (``None`` when the index must be built again), in one query; ``listed=False`` reads the
    version alone."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current.value, current.kept_from, txid_current_if_assigned() IS NOT NULL,"
            " change.initiative_id"
            " FROM initiatives_content_version AS current"
            " LEFT JOIN LATERAL ("
            "  SELECT initiative_id FROM initiatives_public_change"
            "  WHERE %s AND version > %s AND version <= current.value LIMIT %s"
            " ) AS change ON true"
            " WHERE current.id = 1",
            [listed, version, MOST_UPDATED + 1],
        )
        rows = cursor.fetchall()
    current, kept_from, uncommitted = rows[0][:3]
    changed = {row[3] for row in rows}
    if current == version:
        return Changes(current, frozenset(), uncommitted)
    if version < kept_from or None in changed or len(changed) > MOST_UPDATED:
        return Changes(current, None, uncommitted)
    return Changes(current, frozenset(changed), uncommitted)


def prune_public_changes(before: datetime | None = None) -> int:
    """Delete the log of public changes made before ``before`` (by default, those older than
    :data:`CHANGES_KEPT`); an index older than what is left is built again. Returns how many
    rows went."""
    before = before or timezone.now() - CHANGES_KEPT
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH pruned AS ("
            " DELETE FROM initiatives_public_change WHERE changed_at < %s RETURNING version)"
            " UPDATE initiatives_content_version"
            " SET kept_from = GREATEST(kept_from, (SELECT max(version) FROM pruned))"
            " WHERE id = 1 AND EXISTS (SELECT 1 FROM pruned)"
            " RETURNING (SELECT count(*) FROM pruned)",
            [before],
        )
        row = cursor.fetchone()
    return row[0] if row else 0


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
    """What one search finds among the published records, at an index version."""

    version: int
    bits: int  # the initiatives found
    ranked: array  # their pks, best match first (8 bytes each, not a Python int each)
    titles: bytes  # for each, whether its title matches the whole query (sort key 1)
    ranks: array  # for each, its text-search rank (sort key 2; the pk is key 3)

    def key(self, at: int) -> tuple[int, float, int]:
        return (self.titles[at], self.ranks[at], self.ranked[at])


class _Descending:
    """The hits as a sequence of sort keys in ascending order, for ``bisect``."""

    def __init__(self, hits: SearchHits):
        self.hits = hits

    def __len__(self) -> int:
        return len(self.hits.ranked)

    def __getitem__(self, at: int) -> tuple[int, float, int]:
        title, rank, pk = self.hits.key(at)
        return (-title, -rank, -pk)


def _key(published_at: datetime | None) -> float:
    """An initiative's place in publication order (with its pk): never-dated ones first."""
    return published_at.timestamp() if published_at is not None else -math.inf


@dataclass(frozen=True)
class FacetIndex:
    version: int
    # Read inside a transaction with uncommitted writes (see :attr:`Changes.uncommitted`): it
    # may hold data that is rolled back, so it is never updated, only built again.
    provisional: bool
    width: int  # bits in use: published initiatives, and those withdrawn since the build
    alive: int  # the bits of initiatives published now
    facets: dict[str, dict[str, Option]]
    # bit -> initiative pk and its publication key, oldest first; pk -> bit. An update
    # appends to these (an older index never reads past its own width) and never changes
    # what is there: they are shared by an index and those updated from it.
    pks: array = field(repr=False)
    keys: array = field(repr=False)
    ordinal: dict[int, int] = field(repr=False)
    # The initiatives changed by each of the latest updates: (version before, after, pks).
    updates: tuple = field(default=(), repr=False)
    # The latest searches, by language and text (a word finds more under the configuration
    # of a language). Ranking every match of a common word is most of a search's cost (about
    # a tenth of a second for 50,000 matches), and people repeat searches; a remembered
    # search older than the index is brought up to date for the initiatives changed since.
    searches: OrderedDict = field(default_factory=OrderedDict, repr=False, compare=False)
    searches_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    SEARCHES_KEPT = 32

    @property
    def size(self) -> int:
        """How many initiatives are published."""
        return self.alive.bit_count()

    @property
    def everything(self) -> int:
        return self.alive

    def search(self, text: str, language: str | None = None) -> SearchHits:
        """The published initiatives matching ``text`` in ``language`` (by default the
        active one: words are also matched under its configuration), ranked as the list
        ranks them."""
        key = (content_language(language or get_language()), text)
        with self.searches_lock:
            hits = self.searches.get(key)
        if hits is not None and hits.version != self.version:
            hits = self._brought_up_to_date(hits, key)
        if hits is None:
            hits = self._found(key, Initiative.objects.visible_to(None))
        with self.searches_lock:
            self.searches[key] = hits
            self.searches.move_to_end(key)
            while len(self.searches) > self.SEARCHES_KEPT:
                self.searches.popitem(last=False)
        return hits

    def _matches(
        self, key: tuple[str, str], initiatives: QuerySet, *, in_parallel: bool = False
    ) -> list[tuple]:
        """(title match, rank, pk) of each initiative matching the search ``key``, best first.

        The rows are read straight from the cursor: for a word in half the records, Django
        making tens of thousands of tuples of them took longer than PostgreSQL finding them.
        ``in_parallel`` lets PostgreSQL share the scan among its parallel workers (when its
        planner finds that worth starting them: for a common word, not a rare one)."""
        language, text = key
        found = initiatives.search(text, language).values_list(
            "search_title_match", "search_rank", "pk"
        )
        statement = connection.ops.compose_sql(*found.query.sql_with_params())
        if in_parallel:
            # Each match the workers pass on costs as little as a row the scan reads: the
            # planner's default charge would keep a search of every record serial. Sent
            # with the search as one message, the two run as one transaction, which the
            # setting does not outlive; no round trip is added.
            statement = f"SET LOCAL parallel_tuple_cost = 0; {statement}"
        with connection.cursor() as cursor:
            cursor.execute(statement)
            if in_parallel:
                cursor.nextset()  # past the setting's (empty) result
            return cursor.fetchall()

    def _found(self, key: tuple[str, str], initiatives: QuerySet) -> SearchHits:
        found = self._matches(key, initiatives, in_parallel=True)
        ranked = array("q", [pk for _title, _rank, pk in found])
        return SearchHits(
            version=self.version,
            bits=self.bits_of(ranked),
            ranked=ranked,
            titles=bytes([title for title, _rank, _pk in found]),
            ranks=array("d", [rank for _title, rank, _pk in found]),
        )

    def changed_since(self, version: int) -> frozenset[int] | None:
        """The initiatives changed between ``version`` and this index's, if it knows."""
        updates = [update for update in self.updates if update[1] > version]
        if not updates or updates[0][0] > version:
            return None
        return frozenset().union(*(pks for _before, _after, pks in updates))

    def _brought_up_to_date(self, hits: SearchHits, key: tuple[str, str]) -> SearchHits | None:
        """``hits`` with the initiatives changed since they were found searched again (one
        query over those alone), or ``None`` if this index does not know which changed.

        A request may still be reading ``hits``: they are copied whole (a copy of memory,
        about 0.1 ms for 50,000 matches), and the changed initiatives are taken out of the
        copy and put back where they now rank. Built match by match in Python, the copy took
        10-20 ms, paid by the first search for each remembered word in each process after
        every publication."""
        changed = self.changed_since(hits.version)
        if changed is None:
            return None
        ranked, ranks, titles = (
            array("q", hits.ranked),
            array("d", hits.ranks),
            bytearray(hits.titles),
        )
        found = [pk for pk in changed if hits.bits >> self.ordinal.get(pk, self.width) & 1]
        for at in sorted(map(ranked.index, found), reverse=True):
            del ranked[at], ranks[at], titles[at]
        current = SearchHits(
            version=self.version,
            bits=hits.bits & ~self.bits_of(changed),
            ranked=ranked,
            titles=titles,
            ranks=ranks,
        )
        published = Initiative.objects.visible_to(None).filter(pk__in=changed)
        matches = self._matches(key, published)
        for title, rank, pk in matches:
            at = bisect.bisect_left(_Descending(current), (-bool(title), -rank, -pk))
            ranked.insert(at, pk)
            ranks.insert(at, rank)
            titles.insert(at, bool(title))
        matched = self.bits_of(pk for _title, _rank, pk in matches)
        return replace(current, titles=bytes(titles), bits=current.bits | matched)

    def bits_of(self, pks: Iterable[int]) -> int:
        return _bits(pks, self.ordinal, self.width)

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
        """The pks of the ``start``-th to ``stop``-th initiatives in ``bits``, newest first
        (from the highest bit down)."""
        found: list[int] = []
        seen = 0
        length = (self.width + 7) // 8
        for offset, byte in enumerate(bits.to_bytes(length, "big")):
            if not byte:
                continue
            ones = byte.bit_count()
            if seen + ones <= start:
                seen += ones
                continue
            base = (length - 1 - offset) * 8
            for bit in range(7, -1, -1):
                if byte >> bit & 1:
                    if start <= seen < stop:
                        found.append(self.pks[base + bit])
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


# ---- building and updating ----


def _bits(pks: Iterable[int], ordinal: dict[int, int], width: int) -> int:
    flags = bytearray((width + 7) // 8)
    for pk in pks:
        k = ordinal.get(pk)
        if k is not None and k < width:  # an index updated since may have added bits
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


def _facet_rows(published: QuerySet, *, whole: bool) -> Iterable[dict]:
    """Every facet value of ``published`` with its initiatives, in one query. ``whole``
    reads related tables whole, without joining the initiatives (cheaper for all of them):
    rows of initiatives the index does not hold then have no bit and are dropped."""
    for row in _facet_query(published, whole=whole):
        if row["facet_value"] is not None:
            yield row


def _facet_query(published: QuerySet, *, whole: bool) -> QuerySet:
    parts = [
        _grouped(facet.name, rows, rows.of(published, whole=whole))
        for facet in FACETS
        for rows in facet.rows
    ]
    return parts[0].union(*parts[1:], all=True)


class _FacetRowsOf:
    """The facet values of some published initiatives, by pk: the query of
    :func:`_facet_rows`, compiled once per process (compiling its fifteen parts takes longer
    than running it for a few initiatives) with the pks as one array parameter."""

    def __init__(self):
        self.compiled: tuple[str, list, object] | None = None

    def __call__(self, pks: Iterable[int]) -> list[dict]:
        if self.compiled is None:
            marker = [0]  # stands for the pks in the compiled parameters
            chosen = RawSQL("SELECT unnest(%s::bigint[])", [marker])
            published = Initiative.objects.visible_to(None).filter(pk__in=chosen)
            sql, params = _facet_query(published, whole=False).query.sql_with_params()
            self.compiled = (sql, list(params), marker)
        sql, params, marker = self.compiled
        values = list(pks)
        with connection.cursor() as cursor:
            cursor.execute(sql, [values if param is marker else param for param in params])
            names = [column.name for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:  # Django has psycopg leave JSON as text: its fields parse it
            if isinstance(row["translated"], str):
                row["translated"] = json.loads(row["translated"])
        return [row for row in rows if row["facet_value"] is not None]


_facet_rows_of = _FacetRowsOf()


def build_index(version: int, *, provisional: bool = False) -> FacetIndex:
    """The index of what is published now, in two queries."""
    published = Initiative.objects.visible_to(None)  # what the public sees
    pks, keys = array("q"), array("d")
    for pk, published_at in published.newest_first().reverse().values_list("pk", "published_at"):
        pks.append(pk)
        keys.append(_key(published_at))
    ordinal = {pk: k for k, pk in enumerate(pks)}
    width = len(pks)
    facets: dict[str, dict[str, Option]] = {name: {} for name in INDEXED}
    for row in _facet_rows(published, whole=True):
        bits = _bits(row["pks"], ordinal, width)
        if bits:  # a value only unpublished records have is not shown, not even as 0
            facets[row["facet_name"]][row["facet_value"]] = Option(
                bits=bits,
                label=row["label"],
                translated=row["translated"] or {},
                position=row["position"] or 0,
            )
    return FacetIndex(
        version=version,
        provisional=provisional,
        width=width,
        alive=(1 << width) - 1,
        facets=facets,
        pks=pks,
        keys=keys,
        ordinal=ordinal,
    )


def updated_index(index: FacetIndex, changes: Changes) -> FacetIndex | None:
    """``index`` brought to ``changes.version`` for the initiatives that changed, or
    ``None`` when it cannot be (a record now published would not be the newest, or one
    still published moved in publication order): then it is built again."""
    changed = changes.initiatives
    published = Initiative.objects.visible_to(None)
    now = dict(published.filter(pk__in=changed).values_list("pk", "published_at"))
    for pk, published_at in now.items():
        k = index.ordinal.get(pk)
        if k is not None and index.keys[k] != _key(published_at):
            return None
    newcomers = sorted((_key(now[pk]), pk) for pk in now if pk not in index.ordinal)
    if newcomers and index.width and newcomers[0] <= (index.keys[-1], index.pks[-1]):
        return None
    for key, pk in newcomers:  # they take the next bits, newest last
        index.ordinal[pk] = len(index.pks)
        index.pks.append(pk)
        index.keys.append(key)
    width = len(index.pks)
    cleared = _bits(changed, index.ordinal, width)
    facets = {
        name: {
            value: replace(option, bits=option.bits & ~cleared) if option.bits & cleared else option
            for value, option in options.items()
        }
        for name, options in index.facets.items()
    }
    for row in _facet_rows_of(now):
        options = facets[row["facet_name"]]
        bits = _bits(row["pks"], index.ordinal, width)
        option = options.get(row["facet_value"])
        if option is None:
            option = Option(
                bits=0,
                label=row["label"],
                translated=row["translated"] or {},
                position=row["position"] or 0,
            )
        options[row["facet_value"]] = replace(option, bits=option.bits | bits)
    for options in facets.values():  # a value no published record has any more goes
        for value in [value for value, option in options.items() if not option.bits]:
            del options[value]
    updates = (*index.updates, (index.version, changes.version, changed))
    with index.searches_lock:
        searches = OrderedDict(index.searches)
    return FacetIndex(
        version=changes.version,
        provisional=changes.uncommitted,
        width=width,
        alive=(index.alive & ~cleared) | _bits(now, index.ordinal, width),
        facets=facets,
        pks=index.pks,
        keys=index.keys,
        ordinal=index.ordinal,
        updates=updates[-UPDATES_REMEMBERED:],
        searches=searches,
    )


class _Latest:
    """The index this process holds, at the version it holds.

    It is derived data, replaced as a whole (never changed in place: see
    :attr:`FacetIndex.pks` for what an update shares) and used only at the database's
    current content version: brought up to it, or built again."""

    def __init__(self):
        self.index: FacetIndex | None = None
        self.lock = threading.Lock()

    def get(self) -> FacetIndex:
        index = self.index
        if index is not None and changes_since(index.version).version == index.version:
            return index
        with self.lock:
            index = self.index
            if index is None:
                changes = changes_since(-1, listed=False)
            else:
                changes = changes_since(index.version)
            if index is None or changes.version != index.version:
                updated = None
                if index is not None and not index.provisional and changes.initiatives:
                    updated = updated_index(index, changes)
                self.index = updated or build_index(
                    changes.version, provisional=changes.uncommitted
                )
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
        flags = self.bits.to_bytes((self.index.width + 7) // 8, "little")
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
