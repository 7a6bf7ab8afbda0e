"""Baselines the benchmark compares the portal with.

``bare_initiatives`` answers what the first page of ``GET /api/v1/initiatives/`` answers —
the same 50 rows with the same nested essentials and text in the asked language — from ONE
SQL query (the nested lists are aggregated in PostgreSQL subqueries) serialised with orjson:
the practical ceiling of the API list. ``icontains_initiatives`` is the API list itself with
``q`` answered by a substring scan instead of the full-text index. Both start from
``Initiative.objects.visible_to()``.
"""

import orjson
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.urls import reverse
from rest_framework.pagination import Cursor

from initiatives.api.initiatives import InitiativeViewSet
from initiatives.content import reader_language
from initiatives.models import Initiative, Participation
from ssdc_portal.api.pagination import StableCursorPagination

PAGE_SIZE = StableCursorPagination.page_size
ORDERING = ("-updated_at", "-id")

# The page's rows come from the visibility gate (CTE "page", one row more than the page to
# know whether another follows); everything nested is a correlated subquery.
ROWS_SQL = """
WITH page AS ({gate})
SELECT
    i.slug, i.title, i.summary, i.language, i.state, i.version, i.cooperation_type,
    i.activity_status,
    COALESCE(EXTRACT(YEAR FROM i.actual_start)::int, EXTRACT(YEAR FROM i.planned_start)::int,
             i.start_year) AS start_year,
    owner.slug AS owner,
    ({countries} AND c.role = 'provider') AS provider_countries,
    ({countries} AND c.role = 'recipient') AS recipient_countries,
    (SELECT COALESCE(json_agg(json_build_object(
                'organisation', a.slug, 'name', a.name, 'role', p.role,
                'iati_role', {iati_role}) ORDER BY p.id), '[]')
       FROM initiatives_participation p
       JOIN initiatives_actor a ON a.id = p.actor_id
      WHERE p.initiative_id = i.id)::text AS participants,
    ARRAY(SELECT s.sector_id FROM initiatives_initiative_sectors s
           WHERE s.initiative_id = i.id ORDER BY s.sector_id) AS sectors,
    ARRAY(SELECT m.slug FROM initiatives_initiative_modalities im
            JOIN initiatives_modality m ON m.id = im.modality_id
           WHERE im.initiative_id = i.id ORDER BY m.position, m.name) AS modalities,
    ARRAY(SELECT DISTINCT fm.slug COLLATE "C" FROM funding_fundingcontribution f
            JOIN funding_fundingmodel fm ON fm.id = f.funding_model_id
           WHERE f.initiative_id = i.id ORDER BY 1) AS funding_models,
    i.updated_at,
    COALESCE(
        (SELECT json_build_object('language', t.language, 'title', t.title, 'summary', t.summary)
           FROM initiatives_initiativetranslation t
          WHERE t.initiative_id = i.id AND t.language = %s),
        json_build_object('language', i.language, 'title', i.title, 'summary', i.summary)
    )::text AS text
FROM page
JOIN initiatives_initiative i ON i.id = page.id
JOIN initiatives_actor owner ON owner.id = i.owner_id
ORDER BY i.updated_at DESC, i.id DESC
"""

COUNTRIES_SQL = """SELECT COALESCE(json_agg(json_build_object(
            'code', c.country_id, 'share', c.share::text)
            ORDER BY c.share DESC NULLS LAST, c.country_id), '[]')::text
       FROM initiatives_initiativecountry c WHERE c.initiative_id = i.id"""


def _iati_role_sql() -> str:
    cases = " ".join(
        f"WHEN '{role}' THEN {int(iati)}" for role, iati in Participation.IATI_ROLE.items()
    )
    return f"CASE p.role {cases} END"


def page_rows(request) -> list[dict]:
    """The first page (plus one row) of the initiatives ``request.user`` may see, as dicts
    shaped like the API list's rows, read in one query."""
    gate = (
        Initiative.objects.visible_to(request.user)
        .order_by(*ORDERING)
        .values("id", "updated_at")[: PAGE_SIZE + 1]
    )
    gate_sql, params = gate.query.sql_with_params()
    sql = ROWS_SQL.format(gate=gate_sql, countries=COUNTRIES_SQL, iati_role=_iati_role_sql())
    api_base = request.build_absolute_uri(reverse("api:initiative-list"))
    page_base = request.build_absolute_uri(reverse("initiative-list"))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, reader_language()])
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, values)) for values in cursor.fetchall()]
    for row in rows:
        slug = row["slug"]
        row["url"] = f"{api_base}{slug}/"
        row["page"] = f"{page_base}{slug}/"
        for nested in ("provider_countries", "recipient_countries", "participants", "text"):
            row[nested] = orjson.loads(row[nested])
    return rows


def _next_link(request, rows: list[dict]) -> str | None:
    """The API's ``next`` link after the first page (as DRF's cursor pagination builds it:
    the last row's position, plus an offset for rows sharing that position)."""
    if len(rows) <= PAGE_SIZE:
        return None
    compare = str(rows[PAGE_SIZE]["updated_at"])
    offset = 0
    for row in reversed(rows[:PAGE_SIZE]):
        position = str(row["updated_at"])
        if position != compare:
            break
        offset += 1
    else:
        position = None
    paginator = StableCursorPagination()
    paginator.base_url = request.build_absolute_uri()
    return paginator.encode_cursor(Cursor(offset=offset, reverse=False, position=position))


def bare_initiatives(request) -> HttpResponse:
    rows = page_rows(request)
    body = {"next": _next_link(request, rows), "previous": None, "results": rows[:PAGE_SIZE]}
    return HttpResponse(
        orjson.dumps(body, option=orjson.OPT_UTC_Z), content_type="application/json"
    )


class IcontainsInitiativeViewSet(InitiativeViewSet):
    """The API list with ``q`` matched by ``icontains`` on title, summary, description and
    participating organisations' names (what the search vector holds) instead of the
    full-text index; every other step is the API's own."""

    def initial(self, request, *args, **kwargs):
        params = request._request.GET.copy()
        self.substring = params.pop("q", [""])[-1].strip()
        request._request.GET = params  # the API's own filters run without its search
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.substring:
            return queryset
        text = self.substring
        organisations = Participation.objects.filter(
            initiative=OuterRef("pk"), actor__name__icontains=text
        )
        return queryset.filter(
            Q(title__icontains=text)
            | Q(summary__icontains=text)
            | Q(description__icontains=text)
            | Exists(organisations)
        )


icontains_initiatives = IcontainsInitiativeViewSet.as_view({"get": "list"})
