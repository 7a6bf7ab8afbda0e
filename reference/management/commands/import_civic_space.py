from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reference.civic_space_import import (
    MAX_FILE_BYTES,
    CivicSpaceImportError,
    civic_space_ratings_import,
    too_large,
)


class Command(BaseCommand):
    help = (
        "Import civic-space ratings from a CSV file with the header "
        "country,year,source,rating,score,url (UTF-8, comma or semicolon delimited). "
        "The whole file is checked first; a file with any problem writes nothing and exits "
        "with status 1. A row whose country, year and source already have a rating replaces "
        "its rating, score and URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would change"
        )
        parser.add_argument(
            "--user",
            help="record the import in the admin's log under this username",
        )

    def handle(self, *args, file: Path, dry_run: bool, user: str | None, **options):
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"No user is named {user!r}.")
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                raise CommandError(str(too_large(file.stat().st_size)))
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        try:
            plan = civic_space_ratings_import(
                content=content, file_name=file.name, by=by, dry_run=dry_run
            )
        except CivicSpaceImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{file}: nothing was imported.") from None
        counts = plan.counts
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{counts['created']} ratings {verb} added, {counts['updated']} changed, "
            f"{counts['unchanged']} already up to date."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
