"""The lessons of a published initiative are shown on the public profiles of its countries,
counted from the index of what is published: a change to them is noted as a change to the
initiative (see ``0014_public_changes``), which brings the index up to date for it."""

from importlib import import_module

from django.db import migrations

# The trigger helpers of the migration that made the log (its module name is not an identifier).
public_changes = import_module("initiatives.migrations.0014_public_changes")

TABLE = "learning_lesson"

CREATE = public_changes._row_triggers(
    TABLE, "initiatives_row_public_change"
) + public_changes._everything_trigger(TABLE, "TRUNCATE")
DROP = "".join(
    f"DROP TRIGGER {TABLE}_public_{event} ON {TABLE};\n"
    for event in ["insert", "update", "delete", "everything"]
)


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0014_public_changes"),
        ("learning", "0004_listing_language"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
