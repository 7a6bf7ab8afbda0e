"""``manage.py make_report KIND … --output FILE``: produce a report without the web or a worker.

It checks the request as the page and the API do, then writes the file through the same
service code. Published records only, unless ``--as`` names an editor and
``--include-drafts`` is given. Examples::

    manage.py make_report dataset --filter recipient=MZ --output mozambique.xlsx
    manage.py make_report iati --filter provider=BR --output brazil-iati.xml
    manage.py make_report initiative-brief --initiative native-seed-banks --output brief.pdf
    manage.py make_report country-profile --country HT --output haiti.pdf
"""

import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError

from reports.builders import ReportInvalid
from reports.forms import ReportRequestForm
from reports.kinds import FORMAT_OF_SUFFIX, KINDS
from reports.services import ReportFailure, produce
from ssdc_portal import links


class Command(BaseCommand):
    help = "Produce a report (brief, country profile, data set or IATI XML) into a file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("--output", "-o", required=True, help="The file to write.")
        parser.add_argument("--initiative", help="initiative-brief: the initiative's slug.")
        parser.add_argument("--country", help="country-profile: the ISO 3166-1 code.")
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="dataset and iati: a filter of the initiative list (repeat as needed).",
        )
        parser.add_argument("--as", dest="username", help="Draw on what this user may see.")
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="With --as: also the user's organisations' unpublished records.",
        )
        parser.add_argument(
            "--site-url",
            default="",
            help=(
                "The portal's address that links in the file start with, when SITE_URL is not "
                f"set (default: {links.FALLBACK_SITE_URL})."
            ),
        )

    def handle(self, *args, kind, output, username, site_url, **options):
        output = Path(output)
        if site_url and settings.SITE_URL and site_url.rstrip("/") != links.site_url():
            raise CommandError(
                f"SITE_URL is set to {settings.SITE_URL}: links start with it. Leave out "
                "--site-url, or unset SITE_URL."
            )
        if output.suffix.lower() not in KINDS[kind].suffixes:
            suffixes = ", ".join(KINDS[kind].suffixes)
            raise CommandError(f"For {kind}, name the output file with one of: {suffixes}.")
        user = self._user(username)
        form = ReportRequestForm(
            {
                "kind": kind,
                # A data set's format follows the output's file name.
                "format": FORMAT_OF_SUFFIX.get(output.suffix.lower(), ""),
                "initiative": options["initiative"] or "",
                "country": options["country"] or "",
                "include_drafts": options["include_drafts"],
            },
            user=user,
            filters=self._filters(options["filter"]),
        )
        if not form.is_valid():
            problems = [
                f"{'' if name == '__all__' else name + ': '}{message}"
                for name, messages in form.errors.items()
                for message in messages
            ]
            raise CommandError("\n".join(problems))

        output.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile() as scratch, links.recorded_site_url(site_url):
            try:
                produced = produce(
                    kind,
                    form.parameters,
                    scratch,
                    user=user,
                    include_drafts=form.cleaned_data["include_drafts"],
                    progress=self._show_progress,
                )
            except ReportInvalid as invalid:
                problems = "\n".join(invalid.messages)
                raise CommandError(f"The file is not valid:\n{problems}") from invalid
            except ReportFailure as failure:
                raise CommandError(str(failure)) from failure
            scratch.seek(0)
            written = self._write(scratch, output, csv_files=output.suffix.lower() == ".csv")
        self.stderr.write("")
        rows = f", {produced.rows} initiatives" if produced.rows is not None else ""
        self.stdout.write(f"Wrote {', '.join(str(path) for path in written)}{rows}.")

    def _user(self, username):
        if not username:
            return AnonymousUser()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active user {username!r}.")
        return user

    @staticmethod
    def _filters(pairs: list[str]) -> dict[str, list[str]]:
        filters: dict[str, list[str]] = {}
        for pair in pairs:
            name, sep, value = pair.partition("=")
            if not sep or not name or not value:
                raise CommandError(f"Give filters as NAME=VALUE, not {pair!r}.")
            filters.setdefault(name.strip(), []).append(value.strip())
        return filters

    def _show_progress(self, done: int, total: int) -> None:
        if total and sys.stderr.isatty():
            self.stderr.write(f"\r{int(100 * done / total)} %", ending="")

    @staticmethod
    def _write(scratch, output: Path, *, csv_files: bool) -> list[Path]:
        """Move the file into place; a CSV data set asked for as ``.csv`` is unpacked
        into ``NAME.csv``, ``NAME-principle-evidence.csv`` and ``NAME-README.txt``."""
        if not csv_files:
            partial = output.with_name(output.name + ".part")
            with partial.open("wb") as target:
                shutil.copyfileobj(scratch, target)
            os.replace(partial, output)
            return [output]
        names = {
            "initiatives.csv": output,
            "principle_evidence.csv": output.with_name(f"{output.stem}-principle-evidence.csv"),
            "README.txt": output.with_name(f"{output.stem}-README.txt"),
        }
        with zipfile.ZipFile(scratch) as archive:
            for member, target in names.items():
                with archive.open(member) as source, target.open("wb") as copy:
                    shutil.copyfileobj(source, copy)
        return list(names.values())
