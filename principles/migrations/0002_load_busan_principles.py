from django.db import migrations

from principles.vocabularies import load_principle_set


def load(apps, schema_editor):
    load_principle_set(
        apps.get_model("principles", "PrincipleSet"), apps.get_model("principles", "Principle")
    )


class Migration(migrations.Migration):
    dependencies = [("principles", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
