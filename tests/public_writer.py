"""A second process that changes what is published, while a test reads the facet index.

``python -m tests.public_writer STEPS SEED`` (with ``DATABASE_URL`` naming the test
database) makes ``STEPS`` random changes, each in its own transaction: publications (new and
again), archives, countries added to and taken from published records, and edits of drafts
that no visitor sees.
"""

import os
import random
import sys
import time

RECIPIENTS = ["BO", "HT", "MZ", "KH", "AO"]


def _change(chooser: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone

    from initiatives.models import Initiative, InitiativeCountry

    records = dict(Initiative.objects.values_list("pk", "state"))
    published = sorted(pk for pk, state in records.items() if state == "published")
    hidden = sorted(pk for pk, state in records.items() if state != "published")
    kind = chooser.choice(["publish", "archive", "add country", "drop country", "draft"])
    with transaction.atomic():
        if kind == "publish" and hidden:
            record = Initiative.objects.get(pk=chooser.choice(hidden))
            record.state = "published"
            record.published_at = record.published_at or timezone.now()
            record.save(update_fields=["state", "published_at"])
        elif kind == "archive" and published:
            Initiative.objects.filter(pk=chooser.choice(published)).update(state="archived")
        elif kind == "add country" and published:
            InitiativeCountry.objects.get_or_create(
                initiative_id=chooser.choice(published),
                country_id=chooser.choice(RECIPIENTS),
                role="recipient",
            )
        elif kind == "drop country" and published:
            rows = InitiativeCountry.objects.filter(
                initiative_id=chooser.choice(published), role="recipient"
            )
            rows.filter(pk__in=rows.values("pk")[:1]).delete()
        elif hidden:
            draft = chooser.choice(hidden)
            Initiative.objects.filter(pk=draft).update(title=f"Draft {chooser.random()}")
            InitiativeCountry.objects.get_or_create(
                initiative_id=draft, country_id=chooser.choice(RECIPIENTS), role="recipient"
            )


def main(steps: int, seed: int) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssdc_portal.settings")
    django.setup()
    chooser = random.Random(seed)  # noqa: S311 - test data, not secrets
    for _step in range(steps):
        _change(chooser)
        time.sleep(chooser.uniform(0, 0.01))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
