"""``python manage.py benchmark``: measure the design's quality targets on this database."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from devtools import benchmark

NOTES_MARKER = "<!-- Notes below this line are kept when the benchmark is run again. -->"


class Command(BaseCommand):
    help = (
        "Measure the quality targets (DESIGN.md §12) against baselines taken in the same run, "
        "on the database the settings point at (fill it with generate_synthetic first), "
        "print the table and write it with the machine's details to BENCHMARKS.md. Needs "
        "wrk (apt-get install wrk) and a free loopback port for gunicorn."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quick",
            action="store_true",
            help="Short wrk runs and few repetitions: to try the harness, not to quote.",
        )
        parser.add_argument(
            "--memory-only",
            action="store_true",
            help=(
                "Only the web workers' memory after a warm-up, printed (written only with "
                "--output): to measure a larger data set, e.g. 300,000 initiatives."
            ),
        )
        parser.add_argument(
            "--output",
            help="Where to write the report (default: BENCHMARKS.md at the project root).",
        )

    def handle(self, *args, quick: bool, memory_only: bool, output: str | None, **options):
        budget = benchmark.Budget.quick() if quick else benchmark.Budget()
        when = timezone.now().strftime("%Y-%m-%d %H:%M UTC")
        say = self.stderr.write
        try:
            if memory_only:
                results = benchmark.run_memory_only(say=say)
            else:
                results = benchmark.run(budget, say=say)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(benchmark.table(results.figures))
        if output is None and not memory_only:
            output = str(Path(settings.BASE_DIR) / "BENCHMARKS.md")
        if output is not None:
            self.write_report(results, output, when)
        missed = sum(not figure.met for figure in results.figures)
        self.stdout.write(
            f"\n{len(results.figures) - missed} of {len(results.figures)} targets met "
            f"in {results.seconds / 60:.1f} minutes on {results.probe.initiatives:,} "
            f"initiatives" + (f"; written to {output}." if output else ".")
        )

    def write_report(self, results: benchmark.Results, output: str, when: str) -> None:
        command = " ".join(["python", "manage.py", "benchmark", *sys.argv[2:]])
        target = Path(output)
        notes = ""  # what people wrote below the marker survives a new run
        if target.is_file() and NOTES_MARKER in (text := target.read_text(encoding="utf-8")):
            notes = text[text.index(NOTES_MARKER) :]
        report = benchmark.markdown(results, command, when).rstrip("\n") + "\n\n"
        target.write_text(report + (notes or NOTES_MARKER + "\n"), encoding="utf-8")
