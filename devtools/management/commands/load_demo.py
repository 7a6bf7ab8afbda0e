"""``manage.py load_demo``: load the demo data set built from the briefing's case studies."""

from django.core.management.base import BaseCommand, CommandError

from devtools.demo import PASSWORD_VARIABLE, DemoDataError, demo_load


class Command(BaseCommand):
    help = (
        "Load a small demo data set (four published case studies, a draft and two submitted "
        "records, their translations, organisations and demo accounts). Safe to run again: "
        "nothing is duplicated. "
        f"New accounts get the password in {PASSWORD_VARIABLE}, or a random one printed once."
    )

    def handle(self, *args, **options) -> None:
        try:
            summary = demo_load(stdout=self.stdout)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded: {organisations} organisations, {dialogue_mechanisms} dialogue "
                "mechanisms, {initiatives} initiatives ({published} published, {submitted} "
                "submitted, {draft} draft; {initiatives_created} created, {initiatives_updated} "
                "updated), {accounts} accounts ({accounts_created} created).".format(**summary)
            )
        )
