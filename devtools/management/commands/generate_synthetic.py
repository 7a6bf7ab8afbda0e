"""``manage.py generate_synthetic``: a large synthetic data set for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from devtools.synthetic import SyntheticDataError, generate
from initiatives.browse.index import prune_public_changes


class Command(BaseCommand):
    help = (
        "Fill a separate, migrated database with a realistic synthetic data set (about 90 % "
        "published initiatives with their countries, organisations, funding and evidence) for "
        "benchmarks. Refuses to run where any real initiative or organisation exists."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--initiatives",
            type=int,
            default=100_000,
            help="How many initiatives to generate (default: 100000).",
        )
        parser.add_argument(
            "--seed", type=int, default=7, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Put the new data set in place of an earlier synthetic one (a database with "
            "any real record is still refused).",
        )

    def handle(self, *args, initiatives: int, seed: int, replace: bool, **options) -> None:
        if initiatives < 1:
            raise CommandError("--initiatives must be at least 1.")
        started = time.monotonic()
        try:
            written = generate(initiatives, seed=seed, replace=replace, progress=self.stdout.write)
        except SyntheticDataError as error:
            raise CommandError(str(error)) from error
        # The log of public changes now names every record: web processes build their
        # facet index from scratch anyway.
        prune_public_changes(before=timezone.now())
        width = max(len(label) for label in written)
        self.stdout.write("Rows written:")
        for label, count in written.items():
            self.stdout.write(f"  {label:<{width}}  {count:>10,}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            (size,) = cursor.fetchone()
        self.stdout.write(
            self.style.SUCCESS(
                f"{sum(written.values()):,} rows in {time.monotonic() - started:.1f} s "
                f"(seed {seed}); the database now takes {size}."
            )
        )
