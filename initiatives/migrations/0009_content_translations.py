"""Translations of a record's text (title, summary, description, lessons, outcomes) into the
portal's other languages; moderators get the same rights on them as on the other rows."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TRANSLATION_MODELS = ["initiativetranslation", "outcometranslation"]


def grant_moderators(apps, schema_editor):
    app_config = apps.get_app_config("initiatives")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Moderators").first()
    if group is not None:
        group.permissions.add(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="initiatives", content_type__model__in=TRANSLATION_MODELS
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0007_squashed_0008_end_year_range'),
        ('accounts', '0002_squashed_0004_api_tokens'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='InitiativeTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('language', models.CharField(choices=[('en', 'English'), ('es', 'Spanish'), ('pt', 'Portuguese'), ('fr', 'French')], max_length=2, verbose_name='language')),
                ('title', models.CharField(max_length=250, verbose_name='title')),
                ('summary', models.TextField(max_length=1000, verbose_name='summary')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('lessons_learned', models.TextField(blank=True, verbose_name='lessons learned')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='initiatives.initiative', verbose_name='initiative')),
            ],
            options={
                'verbose_name': 'translation',
                'verbose_name_plural': 'translations',
                'ordering': ['language'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'language'), name='initiative_translation_unique_language'), models.CheckConstraint(condition=models.Q(('title', ''), _negated=True), name='initiative_translation_title_not_empty'), models.CheckConstraint(condition=models.Q(('language__in', ['en', 'es', 'pt', 'fr'])), name='initiative_translation_language_valid')],
            },
        ),
        migrations.CreateModel(
            name='OutcomeTranslation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('language', models.CharField(choices=[('en', 'English'), ('es', 'Spanish'), ('pt', 'Portuguese'), ('fr', 'French')], max_length=2, verbose_name='language')),
                ('title', models.CharField(max_length=250, verbose_name='title')),
                ('narrative', models.TextField(blank=True, verbose_name='what changed')),
                ('outcome', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='initiatives.outcome', verbose_name='outcome')),
            ],
            options={
                'verbose_name': 'outcome translation',
                'verbose_name_plural': 'outcome translations',
                'ordering': ['language'],
                'constraints': [models.UniqueConstraint(fields=('outcome', 'language'), name='outcome_translation_unique_language'), models.CheckConstraint(condition=models.Q(('title', ''), _negated=True), name='outcome_translation_title_not_empty'), models.CheckConstraint(condition=models.Q(('language__in', ['en', 'es', 'pt', 'fr'])), name='outcome_translation_language_valid')],
            },
        ),
        migrations.RunPython(grant_moderators, migrations.RunPython.noop),
    ]
