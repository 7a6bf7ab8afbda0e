"""The rows of the API's initiative list, read as plain values.

A page of the list used to be built from about a thousand model instances (initiatives,
country links, participations, organisations, sectors, modalities, funding) walked by
nested serializers. Here PostgreSQL assembles each row's nested parts as JSON in one query,
and Python only adds the links. The output is field for field what
``InitiativeListSerializer`` describes (the OpenAPI document still comes from it; a test
holds the two together).

Only ids that went through the visibility gate reach ``list_rows``: it reads no other
initiative.
"""

import functools

import orjson
from django.contrib.postgres.aggregates import ArrayAgg, JSONBAgg
from django.db import connection
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, JSONObject
from django.urls import reverse
from rest_framework.fields import DateTimeField

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

_timestamp = DateTimeField()


def per_initiative(rows, aggregate):
    """``aggregate`` over an initiative's ``rows`` (filtered on ``OuterRef("pk")``), as a
    subquery of a list query."""
    grouped = rows.order_by().values("initiative").annotate(result=aggregate).values("result")
    return Subquery(grouped)


def _countries(role: str):
    share_first = (F("share").desc(nulls_last=True), "country_id")
    return per_initiative(
        InitiativeCountry.objects.filter(initiative=OuterRef("pk"), role=role),
        JSONBAgg(
            JSONObject(code="country_id", share=Cast("share", TextField())),
            order_by=share_first,
        ),
    )


def _participants():
    iati_role = Case(
        *(When(role=role, then=Value(int(iati))) for role, iati in Participation.IATI_ROLE.items()),
        output_field=IntegerField(),
    )
    return per_initiative(
        Participation.objects.filter(initiative=OuterRef("pk")),
        JSONBAgg(
            JSONObject(
                organisation="actor__slug", name="actor__name", role="role", iati_role=iati_role
            ),
            order_by=("pk",),
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


# Where the page's ids go in the compiled query (bound at execution as one array), and the
# asked language (bound as the content language of the request's language).
_IDS = object()
_LANGUAGE = object()


def _translation():
    """The title and summary of the initiative's translation into the asked language."""
    return Subquery(
        InitiativeTranslation.objects.filter(
            initiative=OuterRef("pk"), language=RawSQL("%s", (_LANGUAGE,))
        ).values(json=JSONObject(language="language", title="title", summary="summary"))[:1]
    )


@functools.cache
def _rows_query() -> tuple[str, tuple, list[str]]:
    """The rows query as SQL, its parameters and its column names. The ORM builds it once
    per process; each page then only binds its ids (compiling the six subqueries cost more
    than running them)."""
    queryset = (
        Initiative.objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (_IDS,)))
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
        .values(
            "pk",
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


def list_rows(ids: list[int], request) -> list[dict]:
    """The list rows of the initiatives ``ids`` (already gated and paged), in that order."""
    if not ids:
        return []
    sql, params, names = _rows_query()
    with connection.cursor() as cursor:
        bound = {_IDS: ids, _LANGUAGE: reader_language()}
        cursor.execute(sql, [bound.get(param, param) for param in params])
        by_id = {values[0]: dict(zip(names, values)) for values in cursor.fetchall()}
    api_base = request.build_absolute_uri(reverse("api:initiative-list"))
    page_base = request.build_absolute_uri(reverse("initiative-list"))
    return [_shaped(by_id[pk], api_base, page_base) for pk in ids if pk in by_id]


def _shaped(row: dict, api_base: str, page_base: str) -> dict:
    slug = row["slug"]
    return {
        "slug": slug,
        "url": f"{api_base}{slug}/",
        "page": f"{page_base}{slug}/",
        **{name: row[name] for name in PLAIN_FIELDS[1:]},
        "start_year": row["start"],
        "owner": row["owner_slug"],
        "provider_countries": _json_list(row["provider"]),
        "recipient_countries": _json_list(row["recipient"]),
        "participants": _json_list(row["people"]),
        "sectors": row["sector_codes"] or [],
        "modalities": row["modality_slugs"] or [],
        "funding_models": row["funding"] or [],
        "updated_at": _timestamp.to_representation(row["updated_at"]),
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
