"""Recompute every stored search vector: vectors now fold accents (see initiatives.search)."""

from django.db import migrations


def refresh_search_vectors(apps, schema_editor):
    from initiatives.services import initiative_search_vector

    Initiative = apps.get_model("initiatives", "Initiative")
    Participation = apps.get_model("initiatives", "Participation")
    Initiative.objects.update(search_vector=initiative_search_vector(Participation))


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0003_source_document_content_check"),
    ]

    operations = [
        migrations.RunPython(refresh_search_vectors, migrations.RunPython.noop, elidable=True),
    ]
