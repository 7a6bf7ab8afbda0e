from django.core.management.base import BaseCommand

from opendata.models import DatasetRelease
from opendata.releases.services import release_make
from ssdc_portal import links


class Command(BaseCommand):
    help = "Make the next dataset release of every published record (files under releases/<n>/)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-none",
            action="store_true",
            help="Make a release only when none exists yet (the demo's first release).",
        )

    def handle(self, *args, if_none=False, **options):
        if if_none and DatasetRelease.objects.exists():
            self.stdout.write("A release exists already: none made.")
            return
        release = release_make()
        self.stdout.write(
            f"Release {release.number}: {release.initiative_count} initiatives, "
            f"files in {release.directory}/, "
            f"published at {links.absolute_url(release.get_absolute_url())}"
        )
