"""Recompute every stored search vector: vectors now hold each text also under PostgreSQL's
configuration for its language, and the text of translations (see initiatives.browse.search)."""

from django.db import migrations


def refresh_search_vectors(apps, schema_editor):
    from initiatives.services import initiative_search_vector

    Initiative = apps.get_model("initiatives", "Initiative")
    Participation = apps.get_model("initiatives", "Participation")
    InitiativeTranslation = apps.get_model("initiatives", "InitiativeTranslation")
    Initiative.objects.update(
        search_vector=initiative_search_vector(
            Participation, InitiativeTranslation, lesson_models=()
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0009_content_translations"),
    ]

    operations = [
        migrations.RunPython(refresh_search_vectors, migrations.RunPython.noop, elidable=True),
    ]
