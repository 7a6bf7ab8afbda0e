"""Personal API tokens: creation, revocation and the DRF authentication that checks them.

A token reads ``ssdc_<prefix>_<secret>``. The prefix finds the row; the secret is compared
with the stored SHA-256 hash in constant time. Secrets are 32 random bytes, so a plain hash
is enough (no slow password hash is needed for random keys).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.models import ApiToken, User

SCHEME = "Token"
# Recording every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; returns it with the full key, which is never stored or shown again."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=prefix, secret_hash=_hash(secret)
    )
    return token, f"ssdc_{prefix}_{secret}"


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_authenticate(key: str) -> ApiToken | None:
    try:
        _scheme, prefix, secret = key.split("_", 2)
    except ValueError:
        return None
    token = ApiToken.objects.active().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token ssdc_…`` with a personal token."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != SCHEME:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after “Token ”."))
        token = api_token_authenticate(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is unknown or was revoked."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return SCHEME


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token scheme in the OpenAPI document."""

    target_class = ApiTokenAuthentication
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal token from /my/tokens/, sent as `Token ssdc_…`.",
        }
