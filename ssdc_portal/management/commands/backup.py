from django.core.management.base import BaseCommand, CommandError

from ssdc_portal.backups import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the uploaded files under "
        "MEDIA_ROOT into a new timestamped folder under BACKUP_DIR."
    )

    def handle(self, *args, **options):
        try:
            folder = backup_create(report=self.stdout.write)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
