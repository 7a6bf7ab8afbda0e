"""History added to the previous release's demo database before it was dumped into
``previous_release_demo.sql.gz`` (see ``tests/test_upgrade_from_previous_release.py``).

Run in a checkout of commit b1ab6de (organisations were ``initiatives.Actor`` then), after
``manage.py migrate`` and ``manage.py load_demo``::

    manage.py shell -c "exec(open('tests/data/previous_release_history.py').read())"

It records what the upgrade must carry over besides the demo's own revision: versions of an
organisation, a country and network memberships (as a site that versioned them would hold),
admin log entries for them, and more initiative revisions made through the services.
"""

import reversion
from django.contrib.admin.models import CHANGE, LogEntry

from accounts.models import User
from initiatives.models import Actor, Country, Initiative, NetworkMembership
from initiatives.services import initiative_approve, initiative_save

moderator = User.objects.get(username="moderator")
for model in (Actor, Country, NetworkMembership):
    if not reversion.is_registered(model):
        reversion.register(model)

actor = Actor.objects.order_by("pk").first()
country = Country.objects.get(code="BR")
with reversion.create_revision():
    reversion.set_user(moderator)
    reversion.set_comment("Description completed")
    actor.description = (actor.description + " Works with community seed banks.").strip()
    actor.save()
    country.region = country.region or "Latin America & Caribbean"
    country.save()
    for membership in NetworkMembership.objects.order_by("pk")[:2]:
        membership.save()
for obj in (actor, country, *NetworkMembership.objects.order_by("pk")[:1]):
    LogEntry.objects.log_actions(
        user_id=moderator.pk,
        queryset=[obj],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Description"]}}],
        single_object=True,
    )

initiative = Initiative.objects.filter(state="published").order_by("pk").first()
editor = initiative.owner.memberships.first().user
initiative.summary = initiative.summary + " (updated)"
initiative_save(
    initiative=initiative, by=editor, expected_version=initiative.version, comment="Summary updated"
)
initiative_approve(initiative=Initiative.objects.get(state="submitted"), by=moderator)
