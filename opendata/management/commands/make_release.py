from django.core.management.base import BaseCommand

from opendata.releases.services import release_make
from ssdc_portal import links


class Command(BaseCommand):
    help = "Make the next dataset release of every published record (files under releases/<n>/)."

    def handle(self, *args, **options):
        release = release_make()
        self.stdout.write(
            f"Release {release.number}: {release.initiative_count} initiatives, "
            f"files in {release.directory}/, "
            f"published at {links.absolute_url(release.get_absolute_url())}"
        )
