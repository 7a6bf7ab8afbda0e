"""The API's router: every detail address states which lookup values it accepts.

A value outside that pattern (a NUL byte, which PostgreSQL cannot compare, or any other
character no slug or ID has) matches no route and is answered 404 in the API's error body
by the catch-all route, before any query.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework.routers import DefaultRouter

SLUG_LOOKUP = "[-a-zA-Z0-9_]+"  # what Django's slug converter accepts
ID_LOOKUP = "[0-9]+"
UUID_LOOKUP = "[0-9a-fA-F-]{32,36}"


class PortalRouter(DefaultRouter):
    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if not getattr(viewset, "lookup_value_regex", None):
            raise ImproperlyConfigured(
                f"{viewset.__name__} must set lookup_value_regex (e.g. SLUG_LOOKUP, ID_LOOKUP)."
            )
        return super().get_lookup_regex(viewset, lookup_prefix)
