from django.db import migrations


def seed_themes(apps, schema_editor):
    from learning.vocabularies import load_themes

    load_themes(apps.get_model("learning", "Theme"))


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
