"""Lessons learned are lesson rows now (learning 0003 moved the text): the free-text fields
go, and the search vectors are computed again, from the lessons."""

from django.db import migrations


def refresh_search_vectors(apps, schema_editor):
    from initiatives.services import initiative_search_vector

    Initiative = apps.get_model("initiatives", "Initiative")
    Initiative.objects.update(
        search_vector=initiative_search_vector(
            apps.get_model("initiatives", "Participation"),
            apps.get_model("initiatives", "InitiativeTranslation"),
            lesson_models=(
                apps.get_model("learning", "Lesson"),
                apps.get_model("learning", "LessonTranslation"),
            ),
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0010_search_vector_in_every_language"),
        ("learning", "0003_lessons_from_lessons_learned"),
    ]

    operations = [
        migrations.RemoveField(model_name="initiative", name="lessons_learned"),
        migrations.RemoveField(model_name="initiativetranslation", name="lessons_learned"),
        migrations.RunPython(refresh_search_vectors, migrations.RunPython.noop, elidable=True),
    ]
