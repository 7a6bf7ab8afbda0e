"""The initiative list as CSV: flat columns computed by PostgreSQL and streamed by ``COPY``.

The columns, their names and the list separator are those of the column registry
(:mod:`initiatives.columns`), shared with the dataset export and the releases.
"""

from django.contrib.postgres.aggregates import StringAgg
from django.db import connection
from django.db.models import CharField, F, Func, OuterRef, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.http import StreamingHttpResponse

from funding.models import FundingContribution
from initiatives.api.rows import per_initiative
from initiatives.columns import API_CSV_COLUMNS, LIST_SEPARATOR
from initiatives.models import Initiative, InitiativeCountry, Participation
from ssdc_portal.csv_cells import CSVTextCell


def _joined(rows, value, *, order_by, distinct: bool = False) -> CSVTextCell:
    """The ``value`` of an initiative's ``rows``, joined by the list separator (empty when
    none), as a CSV text cell."""
    joined = per_initiative(
        rows, StringAgg(value, LIST_SEPARATOR, distinct=distinct, order_by=order_by)
    )
    return CSVTextCell(Coalesce(joined, Value(""), output_field=TextField()))


def csv_columns() -> dict:
    """The CSV's columns: each header with the expression PostgreSQL computes it from, so
    that the header and the values cannot drift apart. Text that a spreadsheet would read as
    a formula gets a leading ``'`` (see ``ssdc_portal.csv_cells``); numbers (activity status,
    start year) are left as they are."""
    countries = InitiativeCountry.objects.filter(initiative=OuterRef("pk"))
    by_share = (F("share").desc(nulls_last=True), "country_id")
    through = {
        name: getattr(Initiative, name).through.objects.filter(initiative=OuterRef("pk"))
        for name in ("sectors", "modalities")
    }
    columns = {
        "slug": CSVTextCell("slug"),
        "title": CSVTextCell("title"),
        "cooperation_type": F("cooperation_type"),
        "activity_status": F("activity_status"),
        "start_year": F("started_year"),
        "owner": CSVTextCell("owner__slug"),
        "provider_countries": _joined(
            countries.filter(role="provider"), "country_id", order_by=by_share
        ),
        "recipient_countries": _joined(
            countries.filter(role="recipient"), "country_id", order_by=by_share
        ),
        "participants": _joined(
            Participation.objects.filter(initiative=OuterRef("pk")),
            Concat("actor__slug", Value(" ("), "role", Value(")"), output_field=TextField()),
            order_by=("pk",),
        ),
        "sectors": _joined(through["sectors"], "sector_id", order_by=("sector_id",)),
        "modalities": _joined(
            through["modalities"],
            "modality__slug",
            order_by=("modality__position", "modality__name"),
        ),
        "funding_models": _joined(
            FundingContribution.objects.filter(initiative=OuterRef("pk")),
            "funding_model__slug",
            order_by=("funding_model__slug",),
            distinct=True,
        ),
        "updated_at": Func(
            F("updated_at"),
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', "
            '\'YYYY-MM-DD"T"HH24:MI:SS"+00:00"\')',
            output_field=CharField(),
        ),
    }
    if list(columns) != [column.name for column in API_CSV_COLUMNS]:
        raise RuntimeError("The API CSV's columns differ from the registry's API_CSV_COLUMNS.")
    return columns


def csv_rows(queryset, columns: dict):
    """``queryset`` as the flat CSV ``columns``, computed by PostgreSQL in one query."""
    return queryset.with_started_year().values_list(*columns.values())


def csv_response(queryset) -> StreamingHttpResponse:
    """Every matching row as CSV, written by PostgreSQL itself (``COPY … TO STDOUT``) from
    the query Django builds (so the visibility gate and the filters apply), and streamed in
    chunks as it arrives: memory stays flat and the cost is close to the database's own."""
    columns = csv_columns()
    sql, params = csv_rows(queryset, columns).query.sql_with_params()
    header = ",".join(columns).encode() + b"\n"

    def chunks():
        yield header
        with connection.cursor() as cursor:
            copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
            with cursor.cursor.copy(copy_sql, params) as copy:
                yield from (bytes(chunk) for chunk in copy)

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="initiatives.csv"'
    return response
