"""The initiative list as CSV: flat columns computed by PostgreSQL and streamed by ``COPY``."""

from django.contrib.postgres.aggregates import StringAgg
from django.db import connection
from django.db.models import CharField, F, Func, OuterRef, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.http import StreamingHttpResponse

from funding.models import FundingContribution
from initiatives.api.rows import per_initiative
from initiatives.models import Initiative, InitiativeCountry, Participation
from ssdc_portal.csv_cells import CSVTextCell

CSV_COLUMNS = [
    "slug",
    "title",
    "cooperation_type",
    "activity_status",
    "start_year",
    "owner",
    "provider_countries",
    "recipient_countries",
    "participants",
    "sectors",
    "modalities",
    "funding_models",
    "updated_at",
]


def _joined(rows, value, *, order_by, distinct: bool = False) -> CSVTextCell:
    """The ``value`` of an initiative's ``rows``, space-separated (empty when none), as a
    CSV text cell."""
    joined = per_initiative(rows, StringAgg(value, " ", distinct=distinct, order_by=order_by))
    return CSVTextCell(Coalesce(joined, Value(""), output_field=TextField()))


def csv_rows(queryset):
    """``queryset`` as the flat CSV columns, computed by PostgreSQL in one query. Text that
    a spreadsheet would read as a formula gets a leading ``'`` (see ``ssdc_portal.csv_cells``);
    numbers (activity status, start year) are left as they are."""
    countries = InitiativeCountry.objects.filter(initiative=OuterRef("pk"))
    by_share = (F("share").desc(nulls_last=True), "country_id")
    through = {
        name: getattr(Initiative, name).through.objects.filter(initiative=OuterRef("pk"))
        for name in ("sectors", "modalities")
    }
    columns = {
        "csv_provider": _joined(countries.filter(role="provider"), "country_id", order_by=by_share),
        "csv_recipient": _joined(
            countries.filter(role="recipient"), "country_id", order_by=by_share
        ),
        "csv_participants": _joined(
            Participation.objects.filter(initiative=OuterRef("pk")),
            Concat("actor__slug", Value(":"), "role", output_field=TextField()),
            order_by=("pk",),
        ),
        "csv_sectors": _joined(through["sectors"], "sector_id", order_by=("sector_id",)),
        "csv_modalities": _joined(
            through["modalities"],
            "modality__slug",
            order_by=("modality__position", "modality__name"),
        ),
        "csv_funding": _joined(
            FundingContribution.objects.filter(initiative=OuterRef("pk")),
            "funding_model__slug",
            order_by=("funding_model__slug",),
            distinct=True,
        ),
        "csv_updated": Func(
            F("updated_at"),
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', "
            '\'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"\')',
            output_field=CharField(),
        ),
    }
    return (
        queryset.with_started_year()
        .annotate(csv_start_year=F("started_year"), **columns)
        .values_list(
            CSVTextCell("slug"),
            CSVTextCell("title"),
            "cooperation_type",
            "activity_status",
            "csv_start_year",
            CSVTextCell("owner__slug"),
            *columns,
        )
    )


def csv_response(queryset) -> StreamingHttpResponse:
    """Every matching row as CSV, written by PostgreSQL itself (``COPY … TO STDOUT``) from
    the query Django builds (so the visibility gate and the filters apply), and streamed in
    chunks as it arrives: memory stays flat and the cost is close to the database's own."""
    sql, params = csv_rows(queryset).query.sql_with_params()
    header = ",".join(CSV_COLUMNS).encode() + b"\n"

    def chunks():
        yield header
        with connection.cursor() as cursor:
            copy_sql = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"
            with cursor.cursor.copy(copy_sql, params) as copy:
                yield from (bytes(chunk) for chunk in copy)

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="initiatives.csv"'
    return response
