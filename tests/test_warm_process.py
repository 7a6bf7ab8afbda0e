"""A web process, once warm, leaves what it keeps for good out of the garbage collector's
full passes (which took a tenth of a second each, inside a visitor's request)."""

import gc
import weakref

import pytest
from django.core.signals import request_finished

from ssdc_portal.warm import FreezeWhenWarm


class Node:
    """Something a request left behind in a reference cycle: only the collector frees it."""

    def __init__(self):
        self.me = self


@pytest.fixture
def collector_by_hand():
    gc.unfreeze()
    gc.disable()  # no pass of its own between the steps of a test
    yield
    gc.enable()
    gc.unfreeze()


def test_what_the_process_holds_is_frozen_after_its_first_requests(collector_by_hand):
    kept = [{"template": n} for n in range(1000)]  # what warming loads for good
    left_behind = weakref.ref(Node())
    freeze = FreezeWhenWarm(requests=3)
    request_finished.connect(freeze, weak=False)
    try:
        for _request in range(2):
            freeze(signal=request_finished, sender=None)  # as the signal calls it
        assert gc.get_freeze_count() == 0
        freeze(signal=request_finished, sender=None)
        assert gc.get_freeze_count() >= len(kept)
        assert left_behind() is None  # collected first: a frozen cycle would never be freed
        assert request_finished.disconnect(freeze) is False  # once: it has let go itself
    finally:
        request_finished.disconnect(freeze)
