"""``manage.py import_iati FILE --owner ORG_SLUG [--dry-run]``: see ``opendata.imports``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from opendata.iati import mapping
from opendata.imports import report
from opendata.imports.iati import read_iati
from opendata.imports.plan import ImportFailed, apply_plan, plan_import
from organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "Import an IATI 2.03 activities file as drafts of an organisation: check it, list "
        "every problem with its line, then write all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the IATI activities XML file")
        parser.add_argument("--owner", required=True, help="slug of the owner organisation")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and preview; write nothing"
        )
        parser.add_argument(
            "--user",
            default="",
            help="username the import is recorded under (default: the first moderator)",
        )

    def handle(self, *args, file, owner, dry_run, user, **options):
        owner_org = Organisation.objects.filter(slug=owner).first()
        if owner_org is None:
            raise CommandError(f"Unknown owner organisation: {owner}")
        by = self._user(user)
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        records, problems = read_iati(data, portal_ref=mapping.reporting_org().ref)
        plan = plan_import(records, owner_org, by=by, found=problems)
        self.stdout.write(report.as_text(plan))
        if plan.problems:
            raise CommandError(
                f"{len(plan.problems)} problem(s) in {Path(file).name}; nothing was written."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            written = apply_plan(plan, by=by, source_name=Path(file).name)
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            raise CommandError("Nothing was written.") from failed
        self.stdout.write(self.style.SUCCESS(f"Imported {len(written)} initiative(s) as drafts."))

    def _user(self, username: str) -> User:
        if username:
            found = User.objects.filter(username=username).first()
            if found is None:
                raise CommandError(f"Unknown user: {username}")
            return found
        found = User.objects.moderators().order_by("pk").first()
        if found is None:
            raise CommandError("Give --user: there is no moderator to record the import under.")
        return found
