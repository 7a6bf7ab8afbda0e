"""History and records added to the latest release's demo database before it was dumped into
``latest_release_demo.sql.gz`` (see ``tests/test_upgrade_from_previous_release.py``).

Run in a checkout of commit c63d2d4, after ``manage.py migrate`` and ``manage.py load_demo``,
with no broker (``CELERY_BROKER_URL=``: the invitation's e-mail is sent in the process)::

    manage.py shell -c "exec(open('tests/data/latest_release_history.py').read())"

It fills the tables the demo leaves empty that a site in use holds rows in (an invitation, an
API token, a civic-space rating, the admin's log) and, as for the previous release, versions
of an organisation, a country and network memberships, and more initiative revisions.
"""

import reversion
from django.contrib.admin.models import CHANGE, LogEntry

from accounts.models import Membership, User
from accounts.services import invitation_create
from accounts.tokens import api_token_create
from initiatives.models import Initiative
from initiatives.services import initiative_approve, initiative_save
from organisations.models import NetworkMembership, Organisation
from reference.models import CivicSpaceRating, Country

moderator = User.objects.get(username="moderator")
for model in (Organisation, Country, NetworkMembership):
    if not reversion.is_registered(model):
        reversion.register(model)

organisation = Organisation.objects.order_by("pk").first()
country = Country.objects.get(code="BR")
with reversion.create_revision():
    reversion.set_user(moderator)
    reversion.set_comment("Description completed")
    organisation.description = (
        organisation.description + " Works with community seed banks."
    ).strip()
    organisation.save()
    country.region = country.region or "Latin America & Caribbean"
    country.save()
    for membership in NetworkMembership.objects.order_by("pk")[:2]:
        membership.save()
CivicSpaceRating.objects.create(
    country=country, year=2024, source=CivicSpaceRating.Source.CIVICUS_MONITOR, rating="obstructed"
)
for obj in (organisation, country, *NetworkMembership.objects.order_by("pk")[:1]):
    LogEntry.objects.log_actions(
        user_id=moderator.pk,
        queryset=[obj],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Description"]}}],
        single_object=True,
    )

manager = Membership.objects.filter(role=Membership.Role.MANAGER).order_by("pk").first()
invitation_create(
    organisation=manager.organisation,
    email="new.colleague@example.org",
    role=Membership.Role.EDITOR,
    invited_by=manager.user,
)
api_token_create(user=manager.user, name="Dashboard")

initiative = Initiative.objects.filter(state="published").order_by("pk").first()
editor = initiative.owner.memberships.first().user
initiative.summary = initiative.summary + " (updated)"
initiative_save(
    initiative=initiative, by=editor, expected_version=initiative.version, comment="Summary updated"
)
initiative_approve(initiative=Initiative.objects.get(state="submitted"), by=moderator)
