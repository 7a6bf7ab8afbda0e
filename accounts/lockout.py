"""Sign-in lockout after repeated failures (django-axes, configured in settings): which
account an attempt counts against, which address it came from, and the page shown while
signing in is paused."""

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from accounts.models import User


def account_of_identifier(request, credentials) -> str:
    """The username whose counter an attempt adds to.

    People sign in with their username or their e-mail address (``accounts.backends``), so
    an address counts against the account that has it: switching between the two forms
    gains no attempts. The address is looked up first, so that a username spelled like
    someone else's address (only moderators can make one) adds to that person's counter
    rather than opening a second one for them. Anything else counts as typed.
    """
    identifier = (credentials or {}).get("username")
    if identifier is None:
        identifier = request.POST.get("username", "")
    owner = (
        User.objects.filter(email__iexact=identifier).values_list("username", flat=True).first()
        if "@" in identifier
        else None
    )
    return owner or identifier


def client_ip_address(request) -> str | None:
    """The client's address. Behind TRUSTED_PROXY_COUNT proxies it is the entry that the
    outermost proxy appended to X-Forwarded-For (proxies append on the right; anything the
    client wrote is further left and ignored). Without proxies the header is ignored."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """A page that says what happened and when to try again (HTTP 429 with Retry-After).

    Every attempt during the pause starts it again, so the time counts from now.
    """
    cool_off = get_cool_off(request)
    now = timezone.now()
    response = render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "locked_at": now,
            "retry_at": now + cool_off,
        },
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
