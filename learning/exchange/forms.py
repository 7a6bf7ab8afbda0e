"""Forms of the exchange pages: a listing, a message to an organisation, a report of abuse,
and the filters of the list (the API reads the same filters)."""

from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from initiatives.editor.forms import PICKER, by_name
from initiatives.models.translations import ContentLanguage, content_language
from learning.exchange import services
from learning.models import ContactMessage, Listing, Practice, Theme
from organisations.models import Organisation
from reference.models import Country


def country_choices() -> list[tuple[str, str]]:
    """Every country, by name in the active language."""
    return by_name((str(country.code), country.name) for country in Country.objects.all())


def organisations_of(user):
    return Organisation.objects.filter(memberships__user=user).order_by("name")


class ListingForm(forms.ModelForm):
    """What an editor says about an offer or a request."""

    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        required=False,
        help_text=_("The countries the exchange is about or would take place in."),
        widget=forms.SelectMultiple(attrs=PICKER),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=ContentLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages the exchange can take place in."),
        error_messages={"required": _("Tick at least one language.")},
    )
    formats = forms.MultipleChoiceField(
        label=_("Formats"),
        choices=Listing.Format.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Listing
        fields = [
            "kind",
            "organisation",
            "title",
            "description",
            "language",
            "practice",
            "theme",
            "languages",
            "countries",
            "formats",
            "open_until",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "open_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "practice": forms.Select(attrs=PICKER),
        }
        help_texts = {
            "practice": _(
                "A practice accepted on the portal; or leave it empty and choose a theme."
            ),
            "theme": _("Needed when no practice is chosen."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Listing.Kind.choices
        self.fields["organisation"].queryset = organisations_of(user)
        self.fields["organisation"].empty_label = None
        self.fields["practice"].queryset = Practice.objects.accepted().order_by("name")
        self.fields["theme"].queryset = Theme.objects.all()
        self.fields["countries"].choices = country_choices()
        self.fields["open_until"].help_text = _(
            "At most a year from today. You can renew it later."
        )
        if self.instance.pk:
            self.initial["countries"] = [
                str(code) for code in self.instance.countries.values_list("code", flat=True)
            ]
        else:
            self.initial.setdefault("open_until", services.default_open_until())
            self.initial.setdefault("language", content_language(get_language()))
            self.initial.setdefault("languages", [])

    def clean_open_until(self) -> date:
        value = self.cleaned_data["open_until"]
        today = timezone.localdate()
        if value < today:
            raise forms.ValidationError(_("Choose a date from today onwards."))
        latest = services.latest_open_until(today)
        if value > latest:
            raise forms.ValidationError(
                _("Choose a date no later than %(date)s: a listing is open for a year at most.")
                % {"date": date_format(latest, "DATE_FORMAT")}
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if (
            not cleaned.get("practice")
            and not cleaned.get("theme")
            and not self.has_error("practice")
        ):
            self.add_error("practice", _("Choose a practice or a theme."))
        return cleaned

    def listing_fields(self) -> dict:
        """The cleaned values, as the services take them."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return data


class ContactForm(forms.ModelForm):
    """A message to another organisation, from one of the sender's own."""

    sender_organisation = forms.ModelChoiceField(
        label=_("From"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("Which of your organisations the message is from."),
    )

    class Meta:
        model = ContactMessage
        fields = ["sender_organisation", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, user, recipient: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender_organisation"].queryset = organisations_of(user).exclude(
            pk=recipient.pk
        )


class ReportForm(forms.Form):
    note = forms.CharField(
        label=_("What is wrong with this message?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say in a few words what is wrong with it.")},
    )


def _theme_filter(queryset, name, theme):
    if not theme:
        return queryset
    return queryset.filter(
        pk__in=Listing.objects.filter(Q(theme=theme) | Q(practice__themes=theme)).values("pk")
    )


def _language_filter(queryset, name, value):
    return queryset.filter(languages__contains=[value]) if value else queryset


def _country_filter(queryset, name, value):
    if not value:
        return queryset
    return queryset.filter(
        pk__in=Listing.countries.through.objects.filter(country=value).values("listing")
    )


class ListingFilterSet(django_filters.FilterSet):
    """The filters of /exchange/ and /api/v1/exchange/: each a query parameter, so that a
    filtered list has an address of its own."""

    kind = django_filters.ChoiceFilter(label=_("Offers or requests"), choices=Listing.Kind.choices)
    practice = django_filters.ModelChoiceFilter(
        label=_("Practice"),
        to_field_name="slug",
        queryset=Practice.objects.accepted().order_by("name"),
        help_text="Slug of an accepted practice.",
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        to_field_name="slug",
        queryset=Theme.objects.all(),
        method=_theme_filter,
        help_text="Slug of a theme; listings about one of its practices count too.",
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=ContentLanguage.choices, method=_language_filter
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=[], method=_country_filter, help_text="ISO 3166-1 alpha-2 code."
    )

    class Meta:
        model = Listing
        fields = ["kind", "practice", "theme", "language", "country"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.filters["country"], django_filters.ChoiceFilter):
            self.filters["country"].extra["choices"] = country_choices


def _practice_slug_filter(queryset, name, value):
    if not value:
        return queryset
    return queryset.filter(practice__in=Practice.objects.accepted().filter(slug=value))


def _theme_slug_filter(queryset, name, value):
    if not value:
        return queryset
    theme = Theme.objects.filter(slug=value).first()
    return _theme_filter(queryset, name, theme) if theme else queryset.none()


def _country_code_filter(queryset, name, value):
    return _country_filter(queryset, name, value.strip().upper()[:2]) if value else queryset


class ListingApiFilterSet(ListingFilterSet):
    """The page's filters, where a practice, a theme or a country the portal does not know
    finds nothing (rather than being refused): themes and practices are added over time."""

    country = django_filters.CharFilter(
        method=_country_code_filter, help_text="ISO 3166-1 alpha-2 code."
    )

    practice = django_filters.CharFilter(
        method=_practice_slug_filter, help_text="Slug of an accepted practice."
    )
    theme = django_filters.CharFilter(
        method=_theme_slug_filter,
        help_text="Slug of a theme; listings about one of its practices count too.",
    )
