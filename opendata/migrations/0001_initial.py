"""Dataset releases. Moderators may see them and make one (nobody changes or deletes one)."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.conf import settings
from django.db import migrations, models


def grant_moderators(apps, schema_editor):
    app_config = apps.get_app_config("opendata")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Moderators").first()
    if group is not None:
        group.permissions.add(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="opendata",
                codename__in=["view_datasetrelease", "add_datasetrelease"],
            )
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("accounts", "0009_user_language"),
    ]

    operations = [
        migrations.CreateModel(
            name='DatasetRelease',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('number', models.PositiveIntegerField(editable=False, unique=True, verbose_name='number')),
                ('files', models.JSONField(default=list, editable=False, verbose_name='files')),
                ('counts', models.JSONField(default=dict, editable=False, verbose_name='row counts')),
                ('added', models.JSONField(default=list, editable=False, verbose_name='initiatives added')),
                ('updated', models.JSONField(default=list, editable=False, verbose_name='initiatives updated')),
                ('withdrawn', models.JSONField(default=list, editable=False, verbose_name='initiatives withdrawn')),
                ('made_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='made by')),
            ],
            options={
                'verbose_name': 'dataset release',
                'verbose_name_plural': 'dataset releases',
                'ordering': ['-number'],
                'constraints': [models.CheckConstraint(condition=models.Q(('number__gte', 1)), name='release_number_from_1')],
            },
        ),
        migrations.RunPython(grant_moderators, migrations.RunPython.noop),
    ]
