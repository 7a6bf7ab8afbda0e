"""The rows of the API's initiative list, read as plain values.

A page of the list used to be built from about a thousand model instances (initiatives,
country links, participations, organisations, sectors, modalities, funding) walked by
nested serializers. Here PostgreSQL assembles each row's nested parts as JSON, and Python
only adds the links. The output is field for field what ``InitiativeListSerializer``
describes (the OpenAPI document still comes from it; a test holds the two together).

The page is read in one query: the query the cursor pagination makes of the gated
queryset (its order, position and slice) is the ``page`` of the rows query, so only
initiatives that went through the visibility gate are read.
"""

import functools

import orjson
from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.aggregates.mixins import OrderableAggMixin
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    Aggregate,
    Case,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.query import BaseIterable
from django.urls import reverse
from django.utils import timezone
from psycopg.types.datetime import TimestamptzLoader

from funding.models import FundingContribution
from initiatives.content import reader_language
from initiatives.models import Initiative, InitiativeCountry, InitiativeTranslation, Participation

# The columns read as they are, in the order the serializer gives its fields.
PLAIN_FIELDS = [
    "slug",
    "title",
    "summary",
    "language",
    "state",
    "version",
    "cooperation_type",
    "activity_status",
]


class JSONAgg(OrderableAggMixin, Aggregate):
    """PostgreSQL's ``json_agg``: a list the query only hands over as text is built as text,
    not as ``jsonb`` (which ``JSONBAgg`` would convert each object to, then back)."""

    function = "JSON_AGG"
    template = "%(function)s(%(distinct)s%(expressions)s %(order_by)s)"
    output_field = TextField()


def json_object(**fields) -> Func:
    """PostgreSQL's ``json_build_object`` of ``fields`` (a key and the column or expression
    it holds), keys in the order given."""
    arguments = []
    for key, value in fields.items():
        arguments += [Cast(Value(key), TextField()), F(value) if isinstance(value, str) else value]
    return Func(*arguments, function="JSON_BUILD_OBJECT", output_field=TextField())


def per_initiative(rows, aggregate):
    """``aggregate`` over an initiative's ``rows`` (filtered on ``OuterRef("pk")``), as a
    subquery of a list query."""
    grouped = rows.order_by().values("initiative").annotate(result=aggregate).values("result")
    return Subquery(grouped)


def _as_text(json):
    return Cast(json, TextField())


def _countries(role: str):
    share_first = (F("share").desc(nulls_last=True), "country_id")
    return per_initiative(
        InitiativeCountry.objects.filter(initiative=OuterRef("pk"), role=role),
        _as_text(
            JSONAgg(
                json_object(code="country_id", share=Cast("share", TextField())),
                order_by=share_first,
            )
        ),
    )


def _participants():
    iati_role = Case(
        *(When(role=role, then=Value(int(iati))) for role, iati in Participation.IATI_ROLE.items()),
        output_field=IntegerField(),
    )
    return per_initiative(
        Participation.objects.filter(initiative=OuterRef("pk")),
        _as_text(
            JSONAgg(
                json_object(
                    organisation="actor__slug", name="actor__name", role="role", iati_role=iati_role
                ),
                order_by=("pk",),
            )
        ),
    )


def _codes(relation: str, value: str, order_by):
    through = getattr(Initiative, relation).through.objects.filter(initiative=OuterRef("pk"))
    return per_initiative(through, ArrayAgg(value, order_by=order_by))


def _funding_models():
    return per_initiative(
        FundingContribution.objects.filter(initiative=OuterRef("pk")),
        ArrayAgg("funding_model__slug", distinct=True, order_by=("funding_model__slug",)),
    )


# Where the asked language goes in the compiled query (bound at execution as the content
# language of the request's language).
_LANGUAGE = object()


def _translation():
    """The title and summary of the initiative's translation into the asked language."""
    text = json_object(language="language", title="title", summary="summary")
    return Subquery(
        InitiativeTranslation.objects.filter(
            initiative=OuterRef("pk"), language=RawSQL("%s", (_LANGUAGE,))
        ).values(json=_as_text(text))[:1]
    )


@functools.lru_cache(maxsize=16)
def _rows_query(ordering: tuple) -> tuple[str, tuple, list[str]]:
    """The rows query of a page in ``ordering`` as SQL, its parameters and its column names.
    The ORM builds it once per process and ordering; each page then only adds its ``page``
    (compiling the six subqueries cost more than running them)."""
    queryset = (
        Initiative.objects.filter(pk__in=RawSQL('SELECT "id" FROM "page"', ()))
        .with_started_year()
        .annotate(
            # EXTRACT gives a numeric in PostgreSQL; the API promises an integer
            start=Cast("started_year", IntegerField()),
            owner_slug=F("owner__slug"),
            provider=_countries("provider"),
            recipient=_countries("recipient"),
            people=_participants(),
            sector_codes=_codes("sectors", "sector_id", ("sector_id",)),
            modality_slugs=_codes(
                "modalities", "modality__slug", ("modality__position", "modality__name")
            ),
            funding=_funding_models(),
            translation=_translation(),
        )
        .order_by(*ordering)
        .values(
            "id",
            *PLAIN_FIELDS,
            "updated_at",
            "start",
            "owner_slug",
            "provider",
            "recipient",
            "people",
            "sector_codes",
            "modality_slugs",
            "funding",
            "translation",
        )
    )
    sql, params = queryset.query.sql_with_params()
    # The SELECT lists model columns first, then annotations (as ValuesIterable reads it).
    names = [*queryset.query.values_select, *queryset.query.annotation_select]
    return sql, params, names


class ListRowsIterable(BaseIterable):
    """Yields the rows of an initiative queryset as unshaped list rows (dicts of the
    columns), in the queryset's order, from one query: the queryset's own query, as the
    pagination left it (filtered, ordered, sliced), becomes the rows query's ``page``. The
    rows carry ``id``, ``title`` and ``updated_at``, the positions the cursor reads."""

    def __iter__(self):
        queryset = self.queryset
        try:
            page_sql, page_params = queryset.query.get_compiler(queryset.db).as_sql()
        except EmptyResultSet:
            return
        sql, params, names = _rows_query(tuple(queryset.query.order_by))
        language = reader_language()
        bound = [language if param is _LANGUAGE else param for param in params]
        with connections[queryset.db].cursor() as cursor:
            # psycopg's own compiled loader for the timestamps: the one Django registers for
            # every query is written in Python, and cost about a third of a millisecond for
            # a page. Both give them in the connection's time zone, UTC.
            cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
            # PostgreSQL names the first column "id"; any others (the ordering columns a
            # DISTINCT query must select) keep theirs.
            cursor.execute(f'WITH "page" ("id") AS ({page_sql}) {sql}', [*page_params, *bound])
            rows = cursor.fetchall()
        for values in rows:
            yield dict(zip(names, values))


def list_rows(initiatives: QuerySet[Initiative]) -> QuerySet:
    """``initiatives`` (already gated) as a queryset of unshaped list rows: page it, then
    shape the page with ``shaped_rows``."""
    rows = initiatives.values("pk")
    rows._iterable_class = ListRowsIterable
    return rows


def shaped_rows(rows: list[dict], request) -> list[dict]:
    """The API's list rows from the unshaped ``rows`` of a page."""
    api_base = request.build_absolute_uri(reverse("api:initiative-list"))
    page_base = request.build_absolute_uri(reverse("initiative-list"))
    zone = timezone.get_current_timezone()
    return [_shaped(row, api_base, page_base, zone) for row in rows]


def _shaped(row: dict, api_base: str, page_base: str, zone) -> dict:
    slug = row["slug"]
    return {
        "slug": slug,
        "url": f"{api_base}{slug}/",
        "page": f"{page_base}{slug}/",
        "title": row["title"],
        "summary": row["summary"],
        "language": row["language"],
        "state": row["state"],
        "version": row["version"],
        "cooperation_type": row["cooperation_type"],
        "activity_status": row["activity_status"],
        "start_year": row["start"],
        "owner": row["owner_slug"],
        "provider_countries": _json_list(row["provider"]),
        "recipient_countries": _json_list(row["recipient"]),
        "participants": _json_list(row["people"]),
        "sectors": row["sector_codes"] or [],
        "modalities": row["modality_slugs"] or [],
        "funding_models": row["funding"] or [],
        # in the current time zone, as DRF's DateTimeField gives it; the renderer writes it
        # as DRF does (ISO 8601, UTC as "Z")
        "updated_at": row["updated_at"].astimezone(zone),
        "text": _text(row),
    }


def _text(row: dict) -> dict:
    """The list row's ``text``: the translation into the asked language, else the original."""
    translation = row["translation"]
    if translation:
        return orjson.loads(translation) if isinstance(translation, str) else translation
    return {"language": row["language"], "title": row["title"], "summary": row["summary"]}


def _json_list(text: str | None) -> list:
    return orjson.loads(text) if text else []
