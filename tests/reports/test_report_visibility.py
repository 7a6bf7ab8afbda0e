"""No report ever carries a record its requester may not see: every kind and format,
asked for by the public's stand-in (a researcher), an editor, an editor with their drafts,
and a moderator (reports hold published records unless an editor asks for their own)."""

import io

import pytest
from django.core.exceptions import ValidationError

from initiatives.models import Initiative
from reports.forms import ReportRequestForm
from reports.services import produce
from tests.factories import (
    InitiativeFactory,
    MembershipFactory,
    OrganisationFactory,
    PrincipleEvidenceFactory,
    country,
)
from tests.readable import readable_text

pytestmark = pytest.mark.django_db
State = Initiative.State

REQUESTS = [
    {"kind": "dataset", "format": "csv"},
    {"kind": "dataset", "format": "xlsx"},
    {"kind": "dataset", "format": "json"},
    {"kind": "iati"},
    {"kind": "country-profile", "country": "MZ"},
    {"kind": "country-profile", "country": "BR"},
    {"kind": "initiative-brief", "initiative": "open-record"},
]


@pytest.fixture
def records():
    """Two organisations, each with a record in every state; only published ones are open.
    Every unpublished record has a title and evidence that say so."""
    ours, theirs = OrganisationFactory(slug="ours"), OrganisationFactory(slug="theirs")
    for organisation in (ours, theirs):
        for state in State.values:
            published = state == State.PUBLISHED
            name = f"{organisation.slug}-{state}"
            initiative = InitiativeFactory(
                owner=organisation,
                state=state,
                slug="open-record" if published and organisation == ours else name,
                title=f"Open record {name}" if published else f"Hidden record {name}",
                recipient__country=country("MZ"),
                start_year=2015,  # an IATI activity needs a start
            )
            PrincipleEvidenceFactory(
                initiative=initiative,
                narrative=f"{'Open' if published else 'Hidden'} evidence of {name}",
            )
    return ours


def report_text(user, request, *, include_drafts=False) -> str:
    form = ReportRequestForm({**request, "include_drafts": include_drafts}, user=user)
    if not form.is_valid():
        raise ValidationError(form.errors)
    out = io.BytesIO()
    produce(request["kind"], form.parameters, out, user=user, include_drafts=include_drafts)
    return readable_text(out.getvalue())


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: "-".join(r.values()))
def test_reports_hold_published_records_only(records, researcher, moderator, request_):
    editor = MembershipFactory(organisation=records).user
    for user in (researcher, editor, moderator):
        text = report_text(user, request_)
        assert "Hidden" not in text, (user, request_)
        if request_["kind"] != "initiative-brief":
            assert "Open record ours-published" in text
            assert "Open record theirs-published" in text


@pytest.mark.parametrize(
    "request_", [r for r in REQUESTS if r["kind"] != "initiative-brief"], ids=str
)
def test_editors_drafts_come_only_when_asked_and_only_their_own(records, request_):
    editor = MembershipFactory(organisation=records).user
    text = report_text(editor, request_, include_drafts=True)
    assert "Hidden record theirs" not in text
    assert "Hidden evidence of theirs" not in text
    for state in ("draft", "submitted", "returned", "archived"):
        assert f"Hidden record ours-{state}" in text
