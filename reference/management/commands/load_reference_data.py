from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Reload the reference tables (countries with income groups, DAC sectors, SDGs, "
        "modalities, funding models, Busan principles) from the files the project carries. "
        "Migrations already load them; run this after updating those files."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        # Each app names the tables it carries with a ``reference_tables()`` method on its
        # AppConfig (label → loader returning a count), so that this app imports none of
        # the apps above it.
        counts = {}
        for app_config in apps.get_app_configs():
            tables = getattr(app_config, "reference_tables", None)
            if tables is not None:
                counts |= {name: load() for name, load in tables().items()}
        for name, count in counts.items():
            self.stdout.write(f"{count:5d} {name}")
