"""Each initiative's lessons learned, until now one free text, becomes a lesson row (and
each translation's lessons learned a translation of that lesson). Whom a lesson is for and
its theme were not recorded: editors set them. Moderators get every right on the learning
app's tables (lessons and practices as on the other rows of a record, themes, the exchange's
listings and relayed messages)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

def grant_moderators(apps, schema_editor):
    app_config = apps.get_app_config("learning")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Moderators").first()
    if group is not None:
        group.permissions.add(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="learning"
            )
        )


def lessons_from_text(apps, schema_editor):
    Initiative = apps.get_model("initiatives", "Initiative")
    InitiativeTranslation = apps.get_model("initiatives", "InitiativeTranslation")
    Lesson = apps.get_model("learning", "Lesson")
    LessonTranslation = apps.get_model("learning", "LessonTranslation")
    lessons = {}
    for pk, text in (
        Initiative.objects.exclude(lessons_learned="").values_list("pk", "lessons_learned")
    ).iterator():
        if text.strip():
            lessons[pk] = Lesson(initiative_id=pk, text=text.strip())
    Lesson.objects.bulk_create(lessons.values(), batch_size=1000)
    translations = [
        LessonTranslation(lesson=lessons[initiative], language=language, text=text.strip())
        for initiative, language, text in InitiativeTranslation.objects.exclude(
            lessons_learned=""
        )
        .values_list("initiative", "language", "lessons_learned")
        .iterator()
        if initiative in lessons and text.strip()
    ]
    LessonTranslation.objects.bulk_create(translations, batch_size=1000)


def text_from_lessons(apps, schema_editor):
    """Back to one text per record: the lessons one after the other."""
    Initiative = apps.get_model("initiatives", "Initiative")
    InitiativeTranslation = apps.get_model("initiatives", "InitiativeTranslation")
    Lesson = apps.get_model("learning", "Lesson")
    LessonTranslation = apps.get_model("learning", "LessonTranslation")
    texts: dict[int, list[str]] = {}
    for initiative, text in Lesson.objects.order_by("position", "pk").values_list(
        "initiative", "text"
    ):
        texts.setdefault(initiative, []).append(text)
    for initiative, parts in texts.items():
        Initiative.objects.filter(pk=initiative).update(lessons_learned="\n\n".join(parts))
    translated: dict[tuple[int, str], list[str]] = {}
    for initiative, language, text in LessonTranslation.objects.order_by(
        "lesson__position", "lesson"
    ).values_list("lesson__initiative", "language", "text"):
        translated.setdefault((initiative, language), []).append(text)
    for (initiative, language), parts in translated.items():
        InitiativeTranslation.objects.filter(initiative=initiative, language=language).update(
            lessons_learned="\n\n".join(parts)
        )
    Lesson.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0010_search_vector_in_every_language"),
        ("learning", "0002_seed_themes"),
        ("accounts", "0002_squashed_0004_api_tokens"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(lessons_from_text, text_from_lessons),
        migrations.RunPython(grant_moderators, migrations.RunPython.noop),
    ]
