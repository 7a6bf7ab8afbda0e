"""/api/v1/exchange/: open offers and requests (plus, for editors, their organisations'
listings in every state; for moderators, all), with the matches of each on its detail.
Editors create and change their organisations' listings: each goes to the moderators."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from initiatives.models.translations import ContentLanguage
from learning.exchange import services
from learning.exchange.forms import ListingApiFilterSet, organisations_of
from learning.exchange.listings import for_display, matches_for
from learning.models import Listing, Practice, Theme
from organisations.models import Organisation
from reference.models import Country
from ssdc_portal.api.routers import ID_LOOKUP


class ReasonOut(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["practice", "theme", "language", "country", "region"],
        help_text="What the two listings share.",
    )
    name = serializers.CharField(
        help_text="The shared practice, theme, language, country or region."
    )
    text = serializers.CharField(help_text="The reason as the exchange page shows it.")


class MatchOut(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    kind = serializers.ChoiceField(choices=Listing.Kind.choices)
    title = serializers.CharField()
    organisation = serializers.CharField(help_text="Slug of the organisation.")
    score = serializers.IntegerField(help_text="Higher is a better match.")
    reasons = ReasonOut(many=True)


class ListingOut(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:listing-detail")
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    practice = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    theme = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=ContentLanguage.choices)
    )
    countries = serializers.SerializerMethodField(help_text="ISO 3166-1 alpha-2 codes.")
    formats = serializers.ListField(child=serializers.ChoiceField(choices=Listing.Format.choices))

    class Meta:
        model = Listing
        fields = [
            "id",
            "url",
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
            "state",
        ]

    def get_countries(self, listing) -> list[str]:
        return [str(country.code) for country in listing.countries.all()]


class ListingDetailOut(ListingOut):
    matches = serializers.SerializerMethodField(
        help_text="Open listings that answer this one, best first, with the reasons."
    )

    class Meta(ListingOut.Meta):
        fields = [*ListingOut.Meta.fields, "matches"]

    @extend_schema_field(MatchOut(many=True))
    def get_matches(self, listing) -> list[dict]:
        request = self.context["request"]
        return [
            {
                "id": other.pk,
                "url": request.build_absolute_uri(reverse("api:listing-detail", args=[other.pk])),
                "kind": other.kind,
                "title": other.title,
                "organisation": other.organisation.slug,
                "score": match.score,
                "reasons": [
                    {"kind": reason.kind, "name": reason.name, "text": reason.text}
                    for reason in match.reasons
                ],
            }
            for other, match in matches_for(listing)
        ]


class ListingIn(serializers.Serializer):
    """A listing as an editor writes it; on PATCH, the fields given are changed."""

    kind = serializers.ChoiceField(choices=Listing.Kind.choices)
    organisation = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        help_text="Slug of one of the caller's organisations.",
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000)
    language = serializers.ChoiceField(
        choices=ContentLanguage.choices,
        required=False,
        help_text="The language of the title and description (English if not given).",
    )
    practice = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Practice.objects.accepted(),
        allow_null=True,
        required=False,
        help_text="Slug of an accepted practice; this or a theme is needed.",
    )
    theme = serializers.SlugRelatedField(
        slug_field="slug", queryset=Theme.objects.all(), allow_null=True, required=False
    )
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=ContentLanguage.choices),
        min_length=1,
        max_length=len(ContentLanguage.choices),
    )
    countries = serializers.ListField(
        child=serializers.CharField(max_length=2),
        required=False,
        max_length=300,
        help_text="ISO 3166-1 alpha-2 codes.",
    )
    formats = serializers.ListField(
        child=serializers.ChoiceField(choices=Listing.Format.choices),
        required=False,
        max_length=len(Listing.Format.choices),
    )
    open_until = serializers.DateField(
        required=False, help_text="At most a year from today; six months by default."
    )

    def validate_organisation(self, organisation):
        if not organisations_of(self.context["request"].user).filter(pk=organisation.pk).exists():
            raise serializers.ValidationError(_("Choose one of your own organisations."))
        return organisation

    def validate_countries(self, codes):
        codes = sorted({code.upper() for code in codes})
        known = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise serializers.ValidationError(
                _("Unknown country codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return codes

    def validate_open_until(self, value):
        today = timezone.localdate()
        if value < today:
            raise serializers.ValidationError(_("Choose a date from today onwards."))
        if value > services.latest_open_until(today):
            raise serializers.ValidationError(
                _("Choose a date no later than %(date)s: a listing is open for a year at most.")
                % {"date": services.latest_open_until(today).isoformat()}
            )
        return value

    def validate(self, data):
        instance = self.instance
        practice = data["practice"] if "practice" in data else getattr(instance, "practice", None)
        theme = data["theme"] if "theme" in data else getattr(instance, "theme", None)
        if practice is None and theme is None:
            raise serializers.ValidationError({"practice": [_("Choose a practice or a theme.")]})
        for name in ("languages", "formats"):
            if name in data:
                data[name] = sorted(set(data[name]))
        return data


class ListingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Offers and requests of the exchange. Everyone reads the open ones (published, not
    ended); editors also their organisations' listings in every state, moderators all.
    Editors create and change their organisations' listings: a new or changed listing is
    submitted to the moderators and leaves the exchange until they publish it."""

    filterset_class = ListingApiFilterSet
    ordering = "-id"
    lookup_value_regex = ID_LOOKUP
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        listings = Listing.objects.visible_to(self.request.user)
        if self.action in ("partial_update", "update"):
            listings = listings.editable_by(self.request.user)
        return for_display(listings, for_matching=self.action == "retrieve")

    def get_serializer_class(self):
        if self.action in ("create", "partial_update", "update"):
            return ListingIn
        if self.action == "retrieve":
            return ListingDetailOut
        return ListingOut

    def _answer(self, listing, status):
        listing = for_display(Listing.objects.all()).get(pk=listing.pk)
        return Response(
            ListingDetailOut(listing, context=self.get_serializer_context()).data, status=status
        )

    @extend_schema(request=ListingIn, responses={201: ListingDetailOut})
    def create(self, request, *args, **kwargs):
        data = self._validated(ListingIn(data=request.data, context=self.get_serializer_context()))
        data.setdefault("open_until", services.default_open_until())
        listing = services.listing_create(by=request.user, **data)
        return self._answer(listing, 201)

    @extend_schema(request=ListingIn, responses={200: ListingDetailOut})
    def partial_update(self, request, *args, **kwargs):
        listing = self.get_object()
        serializer = ListingIn(
            listing, data=request.data, partial=True, context=self.get_serializer_context()
        )
        listing = services.listing_update(
            listing=listing, by=request.user, **self._validated(serializer)
        )
        return self._answer(listing, 200)

    @staticmethod
    def _validated(serializer) -> dict:
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
