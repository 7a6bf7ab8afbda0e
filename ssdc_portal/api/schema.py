"""The OpenAPI description: every operation also documents the errors it can answer with,
all in the one error body shape."""

from django_filters import ChoiceFilter, TypedChoiceFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

from ssdc_portal.api.negotiation import LANGUAGE_PARAMETER, language_codes
from ssdc_portal.api.schema_tags import TAG_OF_RESOURCE


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text="A stable, machine-readable reason.")
    message = serializers.CharField(help_text="What went wrong, for people.")
    details = serializers.DictField(
        required=False, help_text="Field-level messages, for invalid input."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERRORS = {
    400: "Invalid parameters or body; `details` says which and why.",
    401: "The token is unknown or revoked, or the request needs an account.",
    403: "The account may not do this (for example another organisation's record).",
    404: "No such resource, or not visible to the caller.",
    409: "The record's state or a data rule does not allow this.",
    412: "The record changed since it was read (stale If-Match).",
    428: "If-Match is required to change a record.",
    429: "Too many requests; retry after the number of seconds in Retry-After.",
}


def language_parameter() -> OpenApiParameter:
    return OpenApiParameter(
        LANGUAGE_PARAMETER,
        str,
        OpenApiParameter.QUERY,
        enum=language_codes(),
        description=(
            "The language of names, translated texts, links to pages and messages in the "
            "answer; overrides Accept-Language. Without either, English."
        ),
    )


class PortalAutoSchema(AutoSchema):
    def get_tags(self) -> list[str]:
        resource = self.path.removeprefix("/api/v1/").split("/", 1)[0]
        return [TAG_OF_RESOURCE.get(resource, resource)]

    def get_auth(self):
        """An operation anyone may call has the empty requirement alone: no token needed
        (Swagger UI then shows no padlock). A token still works on it, and raises the
        rate limit (the document's description says so)."""
        requirements = super().get_auth()
        return [{}] if {} in requirements else requirements

    def get_override_parameters(self):
        """Views may describe query parameters whose values come from the database (the
        vocabularies); they are read when the document is generated, not at import. Every
        read takes ``lang`` (``ssdc_portal.api.negotiation``)."""
        parameters = super().get_override_parameters()
        if self.method.upper() != "GET":
            return parameters
        describe = getattr(self.view, "describe_query_parameters", None)
        is_listing = getattr(self.view, "action", "list") == "list"
        if describe is not None and is_listing:
            parameters = [*parameters, *describe()]
        return [*parameters, language_parameter()]

    def _error_statuses(self) -> list[int]:
        method = self.method.upper()
        statuses = [429]
        if method == "GET":
            statuses.append(400)  # a language the portal does not have (``lang``)
        if method != "GET" or self._is_list_view():
            statuses += [400, 404]  # invalid filters; a cursor that is not ours
        if method != "GET" or "{" in self.path:
            statuses.append(404)
        if method != "GET":
            statuses += [401, 403, 409]
        if self._needs_an_account():
            statuses.append(401)
        if method in {"PATCH", "PUT", "DELETE"} or self.path.endswith("/submit/"):
            statuses += [412, 428]
        if self.path.startswith("/api/v1/aggregates/"):
            statuses += [400, 404]
        return sorted(set(statuses))

    def _needs_an_account(self) -> bool:
        return any(
            isinstance(permission, IsAuthenticated) for permission in self.view.get_permissions()
        )

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        error = self.resolve_serializer(ErrorSerializer, "response").ref
        for status in self._error_statuses():
            responses.setdefault(
                str(status),
                {
                    "description": ERRORS[status],
                    "content": {"application/json": {"schema": error}},
                },
            )
        return responses


class FilterExtension(DjangoFilterExtension):
    """django-filter's filters as drf-spectacular describes them, saying also that a single
    choice may be sent empty (``?kind=``, as an HTML form sends a field left alone): it
    then filters nothing."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        if isinstance(filter_field, ChoiceFilter | TypedChoiceFilter):
            for parameter in parameters:
                parameter["allowEmptyValue"] = True
        return parameters


def forbid_nul_in_query_strings(result, generator, request, public):
    """PostgreSQL text cannot hold NUL characters, so free-text query parameters refuse
    them (400); say so in the document."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                target = schema.get("items", schema) if schema.get("type") == "array" else schema
                if (
                    parameter.get("in") == "query"
                    and target.get("type") == "string"
                    and not {"enum", "pattern", "format"} & set(target)
                ):
                    target["pattern"] = "^[^\\u0000]*$"
    return result
