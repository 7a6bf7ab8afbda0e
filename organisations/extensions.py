"""What the apps above this one add to organisations.

This app may not import the apps that record what organisations do (accounts, funding,
initiatives…), yet who may see an organisation, what its profile page shows and what must
follow a change to it depend on those records. An app takes part by defining methods on its
``AppConfig``; they are called in the order of ``INSTALLED_APPS``:

``organisation_visibility(user)``
    A condition on organisations (a ``Q``, or an ``Exists`` over ``OuterRef("pk")``) under
    which ``user`` may see one. An organisation is visible if any app's condition holds.
``organisation_profile(request, organisation)``
    A :class:`ProfileSection` for the organisation's profile page, or ``None``.
``organisation_saved(organisation)``
    Called by ``organisation_save`` after the organisation was saved, e.g. to refresh what
    the app derived from its name.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.apps import apps
from django.db.models import Q


@dataclass(frozen=True)
class ProfileSection:
    """A part of an organisation's profile page: ``template`` is included with ``context``
    as the variable ``section``."""

    template: str
    context: dict = field(default_factory=dict)


def _hooks(name: str) -> list[Callable]:
    return [
        getattr(app_config, name)
        for app_config in apps.get_app_configs()
        if callable(getattr(app_config, name, None))
    ]


def visibility_condition(user) -> Q:
    """The condition under which ``user`` may see an organisation (see the module's text)."""
    conditions = [hook(user) for hook in _hooks("organisation_visibility")]
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def profile_sections(request, organisation) -> list[ProfileSection]:
    sections = (hook(request, organisation) for hook in _hooks("organisation_profile"))
    return [section for section in sections if section is not None]


def after_save(organisation) -> None:
    for hook in _hooks("organisation_saved"):
        hook(organisation)
