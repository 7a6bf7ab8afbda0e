"""The API's rates: anonymous clients by address (``anon``), signed-in people and tokens by
account (``user``)."""

from array import array

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class CompactHistory:
    """Keeps a client's request times as an array of floats rather than a list.

    The cache pickles the history on every request: a list float by float (at thousands
    of requests a minute, a tenth of a millisecond each way), an array as one block of
    bytes. DRF's throttles read it as they read a list.
    """

    def throttle_success(self):
        if not isinstance(self.history, array):
            self.history = array("d", self.history)
        return super().throttle_success()


class AnonymousRateThrottle(CompactHistory, AnonRateThrottle):
    """Anonymous clients, by address, at the ``anon`` rate."""


class SignedInRateThrottle(CompactHistory, UserRateThrottle):
    """Signed-in clients, by account, at the ``user`` rate.

    DRF's ``UserRateThrottle`` counts anonymous clients too (by address, at the ``user``
    rate), on top of the ``anon`` throttle, which counts them at theirs: every anonymous
    request read and wrote two counters in the cache. ``API_USER_RATE`` is the rate of
    signed-in clients.
    """

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
