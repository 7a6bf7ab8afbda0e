"""What a web process does as it starts, so that its visitors do not pay for it: build the
facet index, and once the process is warm, leave what it keeps for good out of the garbage
collector's full passes."""

import gc
import logging

from django.core.signals import request_finished
from django.db import DatabaseError, connection

# Served by then: the templates, URL patterns and translations of the pages people ask for
# are loaded, and stay for the life of the process.
WARM_AFTER_REQUESTS = 100


def build_index() -> None:
    """Build the public list's facet index while the process starts (a second or more at
    100,000 records), not in the first visitor's request. A database not reachable yet only
    means that the first request builds it."""
    from initiatives.browse.index import public_index

    try:
        public_index()
    except DatabaseError:
        logging.getLogger(__name__).warning("Facet index not built at start", exc_info=True)
    finally:
        connection.close()  # the worker's requests open their own


class FreezeWhenWarm:
    """After its first ``requests``, freezes what the process holds (``gc.freeze``).

    A warm process holds some 200,000 objects for good (Django's modules, URL patterns,
    compiled templates, translations, the facet index), and every full pass of the garbage
    collector walked all of them: a tenth of a second at 100,000 records, in the middle of
    whichever request set it off, several times a minute under load. Frozen, they are left
    out of those passes. The last warming request is answered first (``request_finished``
    comes after the response is sent); the garbage is collected then, and what is left is
    frozen. Frozen objects are still freed when nothing refers to them any more (an index
    replaced by a newer one is): only cycles among them would stay.
    """

    def __init__(self, requests: int = WARM_AFTER_REQUESTS):
        self.left = requests

    def __call__(self, **kwargs) -> None:
        self.left -= 1
        if self.left <= 0:
            request_finished.disconnect(self)
            gc.collect()
            gc.freeze()


def warm_up() -> None:
    build_index()
    gc.freeze()  # what the process holds at start, until it is warm
    request_finished.connect(FreezeWhenWarm(), weak=False)
