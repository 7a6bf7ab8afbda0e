"""Moderators read the sign-in records and lift a pause by deleting its access attempt, and
they see every report (to help people whose report failed) and every invitation."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

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
    dependencies = [
        ("accounts", "0005_invitations"),
        ("axes", "0010_accessattemptexpiration"),
        ("reports", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
