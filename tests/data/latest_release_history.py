"""Records added to the latest release's demo database before it was dumped into
``latest_release_demo.sql.gz`` (see ``tests/test_upgrade_from_previous_release.py``).

Run in a checkout of commit c63d2d4, after ``manage.py migrate`` and ``manage.py load_demo``,
with no broker (``CELERY_BROKER_URL=``: the e-mails are sent in the process)::

    manage.py shell -c "exec(open('tests/data/latest_release_history.py').read())"

It fills tables the demo leaves empty and a site in use has rows in: an open invitation, an
API token, a civic-space rating, the admin's log; and the moderator approves the submitted
initiative, which adds a revision.
"""

from django.contrib.admin.models import ADDITION, LogEntry

from accounts.models import Membership, User
from accounts.services import invitation_create
from accounts.tokens import api_token_create
from initiatives.models import Initiative
from initiatives.services import initiative_approve
from reference.models import CivicSpaceRating, Country

moderator = User.objects.get(username="moderator")
manager = Membership.objects.filter(role=Membership.Role.MANAGER).order_by("pk").first()
invitation_create(
    organisation=manager.organisation,
    email="new.colleague@example.org",
    role=Membership.Role.EDITOR,
    invited_by=manager.user,
)
api_token_create(user=manager.user, name="Dashboard")
rating = CivicSpaceRating.objects.create(
    country=Country.objects.get(code="BR"), year=2024, source="civicus_monitor", rating="obstructed"
)
LogEntry.objects.log_actions(
    user_id=moderator.pk, queryset=[rating], action_flag=ADDITION, single_object=True
)
initiative_approve(initiative=Initiative.objects.get(state="submitted"), by=moderator)
