"""What a report request must say, checked the same way for the page and the API."""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from initiatives.browse.filters import InitiativeDataFilterSet
from reports.builders.dataset import FORMATS as DATASET_FORMATS
from reports.kinds import KINDS, kind_choices
from reports.services import report_scope

FORMAT_CHOICES = [(name, fmt.label) for name, fmt in DATASET_FORMATS.items()]


def as_query(filters) -> QueryDict:
    """``filters`` (a QueryDict, or a mapping of names to a value or a list of values) as a
    QueryDict, the form the filter set reads."""
    if isinstance(filters, QueryDict):
        return filters
    query = QueryDict(mutable=True)
    for name, value in (filters or {}).items():
        values = value if isinstance(value, list | tuple) else [value]
        query.setlist(str(name), [str(v) for v in values])
    return query


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=kind_choices)
    format = forms.ChoiceField(label=_("File format"), choices=FORMAT_CHOICES, required=False)
    initiative = forms.SlugField(label=_("Initiative"), max_length=120, required=False)
    country = forms.RegexField(
        label=_("Country"),
        regex=r"^[A-Za-z]{2}$",
        required=False,
        error_messages={"invalid": _("Give the country's two-letter ISO code, e.g. MZ.")},
    )
    include_drafts = forms.BooleanField(
        label=_("Include my organisations' unpublished records"), required=False
    )

    def __init__(self, data=None, *, user, filters: QueryDict | None = None, **kwargs):
        """``filters`` are the list page's filters (``provider=BR&sector=31120`` …), for
        data sets and IATI exports."""
        super().__init__(data, **kwargs)
        self.user = user
        self.filterset = InitiativeDataFilterSet(as_query(filters), queryset=None)

    def clean(self):
        data = super().clean()
        kind = KINDS.get(data.get("kind"))
        if kind is not None:
            kind.check(self, data)
        if data.get("include_drafts") and not self._is_editor():
            self.add_error(
                "include_drafts",
                _("Only editors of an organisation can include its unpublished records."),
            )
        return data

    def _is_editor(self) -> bool:
        return self.user.is_authenticated and self.user.memberships.exists()

    def report_scope(self, data):
        """What the requester may put in the report (see ``services.report_scope``)."""
        return report_scope(self.user, include_drafts=data.get("include_drafts", False))

    @property
    def parameters(self) -> dict:
        """The request in the normal form stored on the report (valid forms only)."""
        return KINDS[self.cleaned_data["kind"]].parameters(self)

    @property
    def selected_filters(self) -> dict[str, list[str]]:
        """The narrowing filters given, each as a sorted list of strings.

        Exactly the values the filter set validated are kept: every value of a filter that
        takes several, but only the last value of one that takes one (``q``, ``stance``…),
        as the filter set reads it. Earlier values of a repeated single-valued parameter
        were never checked, so they must not be stored and replayed when the report is
        built."""
        selected = {}
        data = self.filterset.data or QueryDict()
        for name in self.filterset.NARROWING:
            values = data.getlist(name)
            if not isinstance(self.filterset.form.fields[name], forms.MultipleChoiceField):
                values = values[-1:]
            values = sorted({str(v).strip() for v in values if str(v).strip()})
            if values:
                selected[name] = values
        return selected
