"""Limits on guessing and flooding. Sign-in lockout after repeated failures (django-axes,
configured in settings): which account an attempt counts against, which address it came
from, and the page shown while signing in is paused. And the rate of password-reset
e-mails, per e-mail address and per client, and that of sign-ups."""

import hashlib
from datetime import timedelta

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
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


RATE_PERIODS = {"second": 1, "minute": 60, "hour": 60 * 60, "day": 24 * 60 * 60}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"5/hour"`` → (5, 3600): how many, in how many seconds."""
    number, _slash, period = rate.partition("/")
    try:
        return int(number), RATE_PERIODS[period.strip()]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"A rate reads <number>/<{'|'.join(RATE_PERIODS)}>, not {rate!r}."
        ) from None


def _within_rate(key: str, rate: str) -> bool:
    """Count one more request under ``key``; True while the count is within ``rate``. The
    count starts with the first request and is forgotten a period later."""
    limit, period = parse_rate(rate)
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # forgotten between the two calls
        cache.add(key, 1, timeout=period)
        count = 1
    return count <= limit


def password_reset_allowed(request, *, email: str) -> bool:
    """Count a password-reset request against the e-mail address and the client; False
    once either has asked more than its rate (PASSWORD_RESET_RATE,
    PASSWORD_RESET_CLIENT_RATE). Addresses without an account count alike, and the key
    holds a digest rather than the address."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    per_address = _within_rate(f"password-reset:email:{digest}", settings.PASSWORD_RESET_RATE)
    per_client = _within_rate(
        f"password-reset:client:{client_ip_address(request)}", settings.PASSWORD_RESET_CLIENT_RATE
    )
    return per_address and per_client


def signup_client_allowed(request) -> bool:
    """Count a sign-up or a request for a new confirmation link against the client; False
    once it has asked more than SIGNUP_CLIENT_RATE."""
    return _within_rate(f"signup:client:{client_ip_address(request)}", settings.SIGNUP_CLIENT_RATE)


def signup_email_allowed(email: str) -> bool:
    """Count a confirmation e-mail to this address; False beyond SIGNUP_EMAIL_RATE. Like
    password resets, going beyond it changes nothing the visitor sees."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return _within_rate(f"signup:email:{digest}", settings.SIGNUP_EMAIL_RATE)


def rate_limited_response(request, rate: str):
    """The page shown beyond a rate: what happened and when to try again (HTTP 429 with
    Retry-After: at most the rate's period)."""
    _limit, period = parse_rate(rate)
    now = timezone.now()
    context = {"now": now, "retry_at": now + timedelta(seconds=period)}
    response = render(request, "accounts/rate_limited.html", context, status=429)
    response["Retry-After"] = str(period)
    return response
