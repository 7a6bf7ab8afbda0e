"""Each kind of report is declared once, in ``reports.kinds.KINDS``, and every surface reads it:
the request form, the API, the command line, the stored report's description and production."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser

from reports import kinds
from reports.api import ReportRequestSerializer
from reports.builders import Produced
from reports.forms import ReportRequestForm
from reports.management.commands.make_report import Command
from reports.models import Report
from reports.services import produce
from tests.factories import InitiativeFactory, country


def test_every_kind_of_report_has_exactly_one_entry_and_every_surface_offers_exactly_those():
    assert list(kinds.KINDS) == Report.Kind.values
    offered = list(kinds.KINDS)
    form = ReportRequestForm(user=AnonymousUser())
    assert [value for value, _label in form.fields["kind"].choices] == offered
    assert list(ReportRequestSerializer().fields["kind"].choices) == offered
    assert [value for value, _label in Report._meta.get_field("kind").choices] == offered
    parser = Command().create_parser("manage.py", "make_report")
    kind_argument = next(action for action in parser._actions if action.dest == "kind")
    assert list(kind_argument.choices) == offered


def _count_lines(job: kinds.Job) -> Produced:
    """A throwaway kind: one line per initiative in the selection."""
    slugs = list(job.subject.order_by("slug").values_list("slug", flat=True))
    job.out.write("".join(f"{slug}\n" for slug in slugs).encode())
    return Produced(f"slugs-{job.today}.txt", "text/plain", len(slugs))


@pytest.fixture
def slug_list_kind(monkeypatch):
    kind = kinds.ReportKind(
        label="Slugs (text)", scope=kinds.FILTERED, produce=_count_lines, suffixes=(".txt",)
    )
    monkeypatch.setitem(kinds.KINDS, "slug-list", kind)
    return kind


@pytest.mark.django_db
def test_a_kind_added_to_the_registry_alone_can_be_requested_and_produced(slug_list_kind):
    InitiativeFactory(slug="in-mozambique", recipient__country=country("MZ"))
    InitiativeFactory(slug="in-haiti", recipient__country=country("HT"))
    InitiativeFactory(slug="also-in-mozambique", recipient__country=country("MZ"))

    form = ReportRequestForm(
        {"kind": "slug-list"}, user=AnonymousUser(), filters={"recipient": "MZ"}
    )
    assert form.is_valid(), form.errors
    assert form.parameters == {"filters": {"recipient": ["MZ"]}}

    out = io.BytesIO()
    produced = produce("slug-list", form.parameters, out, user=AnonymousUser())
    assert out.getvalue() == b"also-in-mozambique\nin-mozambique\n"
    assert produced.content_type == "text/plain"
    assert produced.rows == 2
    assert Report(kind="slug-list", parameters=form.parameters).subject == "recipient=MZ"


@pytest.mark.django_db
def test_a_kind_added_to_the_registry_checks_its_scope_like_the_others(slug_list_kind):
    form = ReportRequestForm(
        {"kind": "slug-list"}, user=AnonymousUser(), filters={"recipient": "XX"}
    )
    assert not form.is_valid()
    assert form.errors["__all__"] == [
        "recipient: Select a valid choice. XX is not one of the available choices."
    ]


def test_an_unregistered_kind_is_refused_by_the_form():
    form = ReportRequestForm({"kind": "slug-list"}, user=AnonymousUser())
    assert not form.is_valid()
    assert form.errors["kind"] == [
        "Select a valid choice. slug-list is not one of the available choices."
    ]
