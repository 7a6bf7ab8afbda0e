"""``makemessages`` with the project's defaults, so that every run extracts the same messages.

Run ``python manage.py makemessages -a`` (or ``make messages``): the virtualenv, runtime data,
front-end packages and tests are never scanned, and messages no longer in the code leave the
catalogues instead of lingering as obsolete entries. ``tests/test_catalogues.py`` runs it on a
copy of the project to prove the catalogues miss nothing.
"""

from django.core.management.commands import makemessages

NOT_SCANNED = [".venv", ".data", "node_modules", "static/vendor", "staticfiles", "media", "tests"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *NOT_SCANNED]
        options["no_obsolete"] = True
        return super().handle(*args, **options)
