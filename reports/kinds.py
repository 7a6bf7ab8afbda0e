"""Every kind of report, declared once.

A :class:`ReportKind` says what a request for it must give (its :class:`Scope` — one
initiative, a country, or the initiative list's filters — and, for data sets, a file
format), how that is checked, how the file is produced and named, and which file names
``make_report`` accepts for it. :data:`KINDS` holds one per ``Report.Kind`` value; the
request form, the API, the page's export buttons, ``produce`` and ``Report.subject`` read
it, so adding a kind means adding an entry here (and its value to ``Report.Kind``).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from initiatives.browse.filters import InitiativeDataFilterSet
from initiatives.models import Initiative
from reference.models import Country
from reports.builders import Produced, Progress, ReportFailure, ReportInvalid, stage
from reports.builders.dataset import FORMATS as DATASET_FORMATS
from reports.builders.dataset import Format
from reports.models import Report

Kind = Report.Kind


@dataclass(frozen=True)
class Job:
    """What a producer is given: the records the request names (``subject``: what the
    kind's scope resolved), the parameters, everything the requester may put in a report
    (``scope``), the file to write, and where to report progress."""

    subject: Any
    parameters: dict
    scope: QuerySet[Initiative]
    out: BinaryIO
    progress: Progress
    today: str


@dataclass(frozen=True)
class Scope:
    """Which records a report is about, and the request field that names them.

    ``check(form, data)`` adds the form's errors for a missing or unknown value (and may
    normalise it in ``data``); ``value(form)`` is what is stored in the report's parameters;
    ``resolve(scope, value)`` finds the records when the report is produced, or raises
    :class:`ReportFailure`; ``describe(value)`` names them in a few words.
    """

    field: str
    check: Callable[[Any, dict], None]
    value: Callable[[Any], Any]
    resolve: Callable[[Any, Any], Any]
    describe: Callable[[Any], str]


@dataclass(frozen=True)
class ReportKind:
    """One kind of report: its scope, formats, producer and where it is offered."""

    label: str
    scope: Scope
    produce: Callable[[Job], Produced]
    # File names ``make_report --output`` accepts for this kind.
    suffixes: tuple[str, ...]
    # The file formats to choose from (data sets); ``None`` for a kind with one format.
    formats: Mapping[str, Format] | None = None
    # Offered as an export of the results on the initiative list page.
    on_list_page: bool = False

    def check(self, form, data: dict) -> None:
        if self.formats is not None and not data.get("format"):
            form.add_error("format", _("Choose a file format for the data set."))
        self.scope.check(form, data)

    def parameters(self, form) -> dict:
        """The request in the normal form stored on the report (valid forms only)."""
        parameters = {self.scope.field: self.scope.value(form)}
        if self.formats is not None:
            parameters["format"] = form.cleaned_data["format"]
        return parameters

    def subject(self, parameters: dict) -> str:
        """What a report of this kind with ``parameters`` is about, in a few words."""
        described = self.scope.describe(parameters.get(self.scope.field))
        fmt = parameters.get("format")
        return f"{described} ({fmt.upper()})" if fmt else described


# ---------------------------------------------------------------------------------------------
# Scopes


def _check_initiative(form, data: dict) -> None:
    slug = data.get("initiative")
    if not slug:
        form.add_error("initiative", _("Say which initiative the brief is about."))
        return
    if not form.report_scope(data).filter(slug=slug).exists():
        form.add_error("initiative", _("There is no published initiative with this address."))


def _initiative(scope, slug: str) -> Initiative:
    initiative = scope.for_detail().filter(slug=slug).first()
    if initiative is None:
        raise ReportFailure(_("The initiative “%(slug)s” is not available.") % {"slug": slug})
    return initiative


def _check_country(form, data: dict) -> None:
    code = (data.get("country") or "").upper()
    if not code:
        form.add_error("country", _("Say which country the profile is about."))
    elif not Country.objects.filter(code=code).exists():
        message = _("There is no country with the code %(code)s.") % {"code": code}
        form.add_error("country", message)
    data["country"] = code


def _country(scope, code: str) -> Country:
    country = Country.objects.filter(code=code).first()
    if country is None:
        raise ReportFailure(_("There is no country with the code %(code)s.") % {"code": code})
    return country


def _check_filters(form, data: dict) -> None:
    if not form.filterset.is_valid():
        for name, errors in form.filterset.errors.items():
            for error in errors:
                form.add_error(None, f"{name}: {error}")


def filter_initiatives(scope, filters: dict[str, list[str]]):
    """``scope`` narrowed by the list page's filters (already validated when requested)."""
    data = QueryDict(mutable=True)
    for name, values in (filters or {}).items():
        data.setlist(name, values)
    filterset = InitiativeDataFilterSet(data, queryset=scope)
    if not filterset.is_valid():
        raise ReportFailure(_("The filters of this report are no longer valid."))
    return filterset.narrow(scope)


def _describe_filters(filters: dict[str, list[str]] | None) -> str:
    described = "; ".join(f"{name}={', '.join(values)}" for name, values in (filters or {}).items())
    return described or str(_("all initiatives"))


def _one_record(field: str, check, resolve) -> Scope:
    """A scope of one record, named by its key in the request field ``field``."""
    return Scope(
        field=field,
        check=check,
        value=lambda form: form.cleaned_data[field],
        resolve=resolve,
        describe=lambda key: key or "",
    )


ONE_INITIATIVE = _one_record("initiative", _check_initiative, _initiative)
ONE_COUNTRY = _one_record("country", _check_country, _country)
FILTERED = Scope(
    field="filters",
    check=_check_filters,
    value=lambda form: form.selected_filters,
    resolve=filter_initiatives,
    describe=_describe_filters,
)


# ---------------------------------------------------------------------------------------------
# Producers


def _initiative_brief(job: Job) -> Produced:
    from reports.builders import pdf  # loads WeasyPrint: only when needed

    pdf.write_initiative_brief(job.subject, job.out, progress=job.progress)
    return Produced(f"brief-{job.subject.slug}-{job.today}.pdf", "application/pdf")


def _country_profile(job: Job) -> Produced:
    from reports.builders import pdf

    pdf.write_country_profile(job.subject, job.scope, job.out, progress=job.progress)
    return Produced(f"country-profile-{job.subject.code}-{job.today}.pdf", "application/pdf")


def _dataset(job: Job) -> Produced:
    from reports.builders.dataset import write_dataset

    fmt = job.parameters["format"]
    filters = job.parameters.get("filters") or {}
    rows = write_dataset(job.subject, fmt, job.out, filters=filters, progress=job.progress)
    written = DATASET_FORMATS[fmt]
    filename = f"ssdc-initiatives-{job.today}.{written.extension}"
    return Produced(filename, written.content_type, rows)


def _iati_activities(job: Job) -> Produced:
    from reports.builders import iati

    left_out: list = []
    progress = stage(job.progress, 0, 80)
    rows = iati.write_iati(job.subject, job.out, progress=progress, left_out=left_out)
    if not rows and left_out:  # the standard has no valid file without any activity
        raise ReportFailure(
            _("None of the initiatives these filters select can be an IATI activity: %(reason)s")
            % {"reason": left_out[0][1]}
        )
    if not rows:
        raise ReportFailure(_("No initiative matches these filters: there is nothing to export."))
    job.out.flush()
    job.out.seek(0)
    problems = iati.validate_iati(job.out)  # nothing invalid is ever offered
    if problems:
        raise ReportInvalid(problems)
    job.progress(99, 100)
    return Produced(f"ssdc-iati-activities-{job.today}.xml", "application/xml", rows)


# make_report picks a data set's format from the output file's name.
FORMAT_OF_SUFFIX = {".csv": "csv", ".zip": "csv", ".xlsx": "xlsx", ".json": "json"}

KINDS: dict[str, ReportKind] = {
    Kind.INITIATIVE_BRIEF: ReportKind(
        label=Kind.INITIATIVE_BRIEF.label,
        scope=ONE_INITIATIVE,
        produce=_initiative_brief,
        suffixes=(".pdf",),
    ),
    Kind.COUNTRY_PROFILE: ReportKind(
        label=Kind.COUNTRY_PROFILE.label,
        scope=ONE_COUNTRY,
        produce=_country_profile,
        suffixes=(".pdf",),
    ),
    Kind.DATASET: ReportKind(
        label=Kind.DATASET.label,
        scope=FILTERED,
        produce=_dataset,
        suffixes=tuple(FORMAT_OF_SUFFIX),
        formats=DATASET_FORMATS,
        on_list_page=True,
    ),
    Kind.IATI: ReportKind(
        label=Kind.IATI.label,
        scope=FILTERED,
        produce=_iati_activities,
        suffixes=(".xml",),
        on_list_page=True,
    ),
}
"""Every kind of report, by its ``Report.Kind`` value."""


def kind_choices() -> list[tuple[str, str]]:
    """The kinds a request may name, for the form's and the API's choices."""
    return [(value, kind.label) for value, kind in KINDS.items()]


def list_page_exports() -> dict[str, tuple[str, str]]:
    """The initiative list page's export buttons: each button's value → (kind, format)."""
    exports = {}
    for value, kind in KINDS.items():
        if not kind.on_list_page:
            continue
        for fmt in kind.formats or [""]:
            exports[f"{value}-{fmt}" if fmt else value] = (value, fmt)
    return exports
