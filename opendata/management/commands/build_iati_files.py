from django.core.management.base import BaseCommand, CommandError

from opendata.iati import files, tasks


class Command(BaseCommand):
    help = (
        "Build, validate and publish the public IATI files (/data/iati/) now. An invalid "
        "build keeps the previous files, alerts moderators and exits non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site-url",
            default="",
            help="The portal's address for links in the files, when SITE_URL is not set.",
        )

    def handle(self, *args, site_url: str, **options):
        build = tasks.build_now(site_url=site_url)
        registry = files.current_registry()
        if not build:
            raise CommandError(
                "The IATI files are invalid and were not published:\n"
                + "\n".join(registry.problems if registry else [])
            )
        self.stdout.write(
            f"Published build {build}: {registry.activities} activities, "
            f"{len(registry.organisation_files)} organisation files, "
            f"{len(registry.left_out)} initiatives left out."
        )
