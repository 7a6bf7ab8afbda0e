"""Practices in the REST API: list and detail (what the caller may see, in the language
asked for, with the initiatives the caller may see that used each one), and the proposal
of a new practice by an editor, through the same service as the page."""

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from initiatives.content import reader_language
from initiatives.models import ContentLanguage, Initiative, InitiativeCountry
from learning.models import Practice, PracticeTranslation, PracticeUse, Theme
from learning.practices.content import practice_text
from learning.practices.services import practice_propose, proposing_organisations
from organisations.models import Organisation
from reference.models import Modality
from ssdc_portal.api.inputs import LookupListField, SlugLookupField
from ssdc_portal.api.renderers import JSONErrorsMixin
from ssdc_portal.api.routers import SLUG_LOOKUP


class PracticeTranslationOut(serializers.ModelSerializer):
    class Meta:
        model = PracticeTranslation
        fields = ["language", "name", "summary", "description"]


class PracticeCountriesOut(serializers.Serializer):
    provider = serializers.ListField(child=serializers.CharField(), help_text="ISO 3166-1 alpha-2.")
    recipient = serializers.ListField(
        child=serializers.CharField(), help_text="ISO 3166-1 alpha-2."
    )


class PracticeUseOut(serializers.Serializer):
    """An initiative the caller may see that used the practice."""

    initiative = serializers.SlugField(source="initiative.slug")
    title = serializers.CharField(source="initiative.title")
    learned_from = serializers.SerializerMethodField(
        help_text="The initiative it was learned from, if the caller may see it."
    )
    adaptation = serializers.CharField()
    countries = serializers.SerializerMethodField()

    def get_learned_from(self, use) -> str | None:
        return use.learned_from.slug if use.learned_from_visible else None

    @extend_schema_field(PracticeCountriesOut)
    def get_countries(self, use) -> dict:
        links = use.initiative.country_links.all()
        return {
            role: [str(link.country_id) for link in links if link.role == role]
            for role in ("provider", "recipient")
        }


class PracticeOut(serializers.ModelSerializer):
    """A practice, its text in the language asked for where translated (``text_language``
    says which), its translations, and where it was used."""

    url = serializers.HyperlinkedIdentityField(view_name="api:practice-detail", lookup_field="slug")
    name = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    description = serializers.SerializerMethodField()
    text_language = serializers.SerializerMethodField(
        help_text="The language of name, summary and description."
    )
    language = serializers.CharField(help_text="The language the practice was written in.")
    translations = PracticeTranslationOut(many=True, read_only=True)
    themes = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    modalities = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    uses = PracticeUseOut(many=True, read_only=True, source="visible_uses")
    countries = serializers.SerializerMethodField(
        help_text="ISO codes of the countries of the initiatives that used it."
    )

    class Meta:
        model = Practice
        fields = [
            "slug",
            "url",
            "name",
            "summary",
            "description",
            "text_language",
            "language",
            "translations",
            "themes",
            "modalities",
            "status",
            "uses",
            "countries",
        ]

    def _shown(self, practice):
        if not hasattr(practice, "_shown_text"):
            practice._shown_text = practice_text(practice)
        return practice._shown_text

    def get_name(self, practice) -> str:
        return self._shown(practice).name.text

    def get_summary(self, practice) -> str:
        return self._shown(practice).summary.text

    def get_description(self, practice) -> str:
        return self._shown(practice).description.text

    def get_text_language(self, practice) -> str:
        return self._shown(practice).language

    def get_countries(self, practice) -> list[str]:
        codes = {
            str(link.country_id)
            for use in practice.visible_uses
            for link in use.initiative.country_links.all()
        }
        return sorted(codes)


class ProposingOrganisationField(SlugLookupField):
    """One of the caller's own organisations, by its slug."""

    def get_queryset(self):
        return proposing_organisations(self.context["user"])


class PracticeProposalIn(serializers.Serializer):
    """A practice to propose for one of your organisations; a moderator reviews it."""

    organisation = ProposingOrganisationField(
        queryset=Organisation.objects.none(),
        unknown=gettext_lazy("“%(value)s” is not one of your organisations."),
        help_text="Slug of one of your organisations.",
    )
    name = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=600)
    description = serializers.CharField(required=False, allow_blank=True)
    language = serializers.ChoiceField(choices=ContentLanguage.choices)
    themes = LookupListField(
        child=SlugLookupField(
            queryset=Theme.objects.all(), unknown=gettext_lazy("Unknown theme: “%(value)s”.")
        ),
        required=False,
        max_length=20,
    )

    def validate_name(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValidationError(_("This field is required."))
        if Practice.objects.filter(name__iexact=value).exists():
            raise ValidationError(
                _("A practice with this name is already on the portal or awaiting review.")
            )
        return value

    def validate_summary(self, value: str) -> str:
        if not value.strip():
            raise ValidationError(_("This field is required."))
        return value


class PracticeFilter(django_filters.FilterSet):
    theme = django_filters.CharFilter(field_name="themes__slug", help_text="Slug of a theme.")
    q = django_filters.CharFilter(
        method="search", help_text="Words in the name or summary, in any language."
    )

    class Meta:
        model = Practice
        fields = ["theme", "q"]

    def search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        matching = PracticeTranslation.objects.filter(
            Q(name__icontains=text) | Q(summary__icontains=text), practice=OuterRef("pk")
        )
        return queryset.filter(
            Q(name__icontains=text) | Q(summary__icontains=text) | Exists(matching)
        )


PROPOSAL_EXAMPLE = OpenApiExample(
    "A practice to propose",
    request_only=True,
    value={
        "organisation": "brazilian-native-seed-coalition",
        "name": "Seed fairs",
        "summary": "Farmers bring the seeds they keep and swap them at a yearly fair.",
        "language": "en",
        "themes": ["seeds-agroecology"],
    },
)


class PracticeViewSet(
    JSONErrorsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Practices the caller may see: accepted ones; editors also those their organisations
    proposed; moderators all. ``uses`` lists only initiatives the caller may see."""

    serializer_class = PracticeOut
    lookup_field = "slug"
    lookup_value_regex = SLUG_LOOKUP
    filterset_class = PracticeFilter
    ordering = "slug"

    def get_queryset(self):
        user = self.request.user
        visible = Initiative.objects.visible_to(user)
        uses = (
            PracticeUse.objects.filter(initiative__in=visible.values("pk"))
            .annotate(
                learned_from_visible=Exists(
                    visible.filter(pk=OuterRef("learned_from")).values("pk")
                )
            )
            .select_related("initiative", "learned_from")
            .only(
                "practice_id",
                "adaptation",
                "initiative__slug",
                "initiative__title",
                "learned_from__slug",
            )
            .prefetch_related(
                Prefetch(
                    "initiative__country_links",
                    queryset=InitiativeCountry.objects.order_by("role", "country"),
                )
            )
            .order_by("initiative__slug")
        )
        return (
            Practice.objects.visible_to(user)
            .prefetch_related(
                "translations",
                Prefetch("themes", queryset=Theme.objects.only("slug")),
                Prefetch("modalities", queryset=Modality.objects.only("slug")),
                Prefetch("uses", queryset=uses, to_attr="visible_uses"),
            )
            .distinct()
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "language": reader_language()}

    @extend_schema(
        request=PracticeProposalIn,
        responses={201: PracticeOut},
        examples=[PROPOSAL_EXAMPLE],
    )
    def create(self, request, *args, **kwargs):
        """Propose a practice for one of your organisations (it awaits a moderator)."""
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        proposal = PracticeProposalIn(data=request.data, context={"user": request.user})
        proposal.is_valid(raise_exception=True)
        data = proposal.validated_data
        try:
            practice = practice_propose(
                by=request.user,
                organisation=data["organisation"],
                name=data["name"],
                summary=data["summary"],
                description=data.get("description", ""),
                language=data["language"],
                themes=data.get("themes", []),
            )
        except DjangoPermissionDenied as refusal:
            raise PermissionDenied(str(refusal)) from refusal
        fresh = self.get_queryset().get(pk=practice.pk)
        return Response(self.get_serializer(fresh).data, status=201)
