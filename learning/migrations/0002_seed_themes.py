from django.db import migrations


def seed_themes(apps, schema_editor):
    from learning.vocabularies import THEMES

    Theme = apps.get_model("learning", "Theme")
    for position, (slug, name, description) in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]

    operations = [migrations.RunPython(seed_themes, migrations.RunPython.noop)]
