from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ssdc_portal.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database and "
        "MEDIA_ROOT. Refuses a database that already holds tables unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the backup's folder (or its manifest.json)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the data of a database that is not empty",
        )

    def handle(self, *args, backup: Path, force: bool, **options):
        try:
            backup_restore(path=backup, force=force, report=self.stdout.write)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
