"""Memberships of organisations' teams, the Moderators group and API tokens (squashed from
0002-0004).

The Moderators group gets full rights on the portal's content and reference data, memberships
of organisations, and read access to user accounts.
"""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.db.models import Q

from ssdc_portal.migration_operations import time_stamped_fields


# Reference data and organisations were models of the initiatives app when this migration was
# written; their apps are named too, so that the group gets their rights wherever they live.
CONTENT_APPS = ["initiatives", "funding", "principles", "reference", "organisations"]


def moderator_permissions(permission_model):
    return permission_model.objects.filter(
        Q(content_type__app_label__in=CONTENT_APPS)
        | Q(content_type__app_label="accounts", content_type__model="membership")
        | Q(content_type__app_label="accounts", codename="view_user")
    )


def create_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group, _created = apps.get_model("auth", "Group").objects.get_or_create(name="Moderators")
    group.permissions.add(*moderator_permissions(apps.get_model("auth", "Permission")))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):

    replaces = [('accounts', '0002_initial'), ('accounts', '0003_moderators_group'), ('accounts', '0004_api_tokens')]

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('initiatives', '0001_squashed_0004_search_vector_folds_accents'),
        ('funding', '0001_squashed_0002_load_funding_models'),
        ('principles', '0001_squashed_0002_load_busan_principles'),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to='initiatives.actor', verbose_name='organisation'),
        ),
        migrations.AddField(
            model_name='membership',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='memberships', to=settings.AUTH_USER_MODEL, verbose_name='user'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.UniqueConstraint(django.db.models.functions.text.Lower('email'), name='user_email_unique_ignoring_case', violation_error_message='An account with this email address already exists.'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(fields=('user', 'organisation'), name='membership_unique_user_organisation'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.CheckConstraint(condition=models.Q(('role__in', ['editor', 'manager'])), name='membership_role_valid'),
        ),
        migrations.RunPython(create_group, remove_group),
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                *time_stamped_fields(),
                ('name', models.CharField(help_text='What the key is for.', max_length=100, verbose_name='name')),
                ('prefix', models.CharField(editable=False, max_length=12, unique=True, verbose_name='prefix')),
                ('secret_hash', models.CharField(editable=False, max_length=64, verbose_name='secret hash')),
                ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='last used')),
                ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='revoked')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created_at'],
                'constraints': [models.CheckConstraint(condition=models.Q(('name', ''), _negated=True), name='api_token_name_not_empty')],
            },
        ),
    ]
