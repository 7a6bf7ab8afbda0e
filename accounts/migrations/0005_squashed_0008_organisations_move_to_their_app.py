"""Invitations to organisations' teams; moderators' new rights; the user manager that lists
moderators (squashed from 0005-0008; the foreign keys to organisations that 0008 pointed at
their new app are repointed by organisations 0001, and the invitations' is made pointing there).

Moderators read the sign-in records and lift a pause by deleting its access attempt, and they
see every report (to help people whose report failed) and every invitation.
"""

import accounts.models
import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.db.models import Q

from ssdc_portal.migration_operations import time_stamped_fields


# (app label, model, actions)
GRANTED = [
    ("accounts", "invitation", ["view", "delete"]),
    ("axes", "accessattempt", ["view", "delete"]),
    ("axes", "accesslog", ["view"]),
    ("axes", "accessfailurelog", ["view"]),
    ("reports", "report", ["view"]),
]


def granted_permissions(permission_model):
    wanted = Q(pk__in=[])
    for app_label, model, actions in GRANTED:
        wanted |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    return permission_model.objects.filter(wanted)


def moderators(apps):
    return apps.get_model("auth", "Group").objects.filter(name="Moderators").first()


def grant(apps, schema_editor):
    group = moderators(apps)
    if group is None:
        return
    # On a new database the permissions are made after the last migration; make them now.
    for app_label in {app_label for app_label, _model, _actions in GRANTED}:
        app_config = apps.get_app_config(app_label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = models_module
    group.permissions.add(*granted_permissions(apps.get_model("auth", "Permission")))


def revoke(apps, schema_editor):
    group = moderators(apps)
    if group is not None:
        group.permissions.remove(*granted_permissions(apps.get_model("auth", "Permission")))


class Migration(migrations.Migration):

    replaces = [('accounts', '0005_invitations'), ('accounts', '0006_moderators_see_reports_and_lift_sign_in_pauses'), ('accounts', '0007_user_manager_lists_moderators'), ('accounts', '0008_organisations_move_to_their_app')]

    dependencies = [
        ('accounts', '0002_squashed_0004_api_tokens'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('axes', '0010_accessattemptexpiration'),
        ('initiatives', '0005_squashed_0006_year_ranges_and_document_help'),
        ('organisations', '0001_initial'),
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Invitation',
            fields=[
                *time_stamped_fields(),
                ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                ('role', models.CharField(choices=[('editor', 'Editor'), ('manager', 'Manager')], default='editor', max_length=16, verbose_name='role')),
                ('state', models.CharField(choices=[('pending', 'Waiting for an answer'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('revoked', 'Withdrawn')], default='pending', max_length=16, verbose_name='state')),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                ('answered_by', models.ForeignKey(blank=True, help_text='The account that accepted or declined; empty if declined signed out.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invited by')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='organisations.organisation', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'invitation',
                'verbose_name_plural': 'invitations',
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('email'), models.F('organisation'), condition=models.Q(('state', 'pending')), name='invitation_one_open_per_address_and_organisation'), models.CheckConstraint(condition=models.Q(('role__in', ['editor', 'manager'])), name='invitation_role_valid'), models.CheckConstraint(condition=models.Q(('state__in', ['pending', 'accepted', 'declined', 'revoked'])), name='invitation_state_valid')],
            },
        ),
        migrations.RunPython(grant, revoke),
        migrations.AlterModelManagers(
            name='user',
            managers=[
                ('objects', accounts.models.UserManager()),
            ],
        ),
    ]
