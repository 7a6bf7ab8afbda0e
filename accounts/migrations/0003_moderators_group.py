"""Create the Moderators group: full rights on the portal's content and reference data,
memberships of organisations, and read access to user accounts."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

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
    dependencies = [
        ("accounts", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("initiatives", "0002_load_reference_data"),
        ("funding", "0002_load_funding_models"),
        ("principles", "0002_load_busan_principles"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
