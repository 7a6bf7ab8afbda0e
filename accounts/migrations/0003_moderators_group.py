"""Create the Moderators group with the rights moderation needs in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = {
    "initiatives": [
        "moderate_initiative",
        "view_initiative",
        "change_initiative",
        "view_actor",
        "add_actor",
        "change_actor",
        "view_country",
        "change_country",
        "view_civicspacerating",
        "add_civicspacerating",
        "change_civicspacerating",
        "view_dialoguemechanism",
        "add_dialoguemechanism",
        "change_dialoguemechanism",
        "view_networkmembership",
        "add_networkmembership",
        "change_networkmembership",
        "delete_networkmembership",
    ],
    "accounts": ["view_membership", "add_membership", "change_membership", "delete_membership"],
    "funding": ["view_fundingmodel", "view_fundingcontribution", "change_fundingcontribution"],
    "principles": [
        "view_principle",
        "view_principleset",
        "view_principleevidence",
        "change_principleevidence",
    ],
}


def create_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    group, _created = group_model.objects.get_or_create(name="Moderators")
    for app_label, codenames in MODERATOR_PERMISSIONS.items():
        group.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        )


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
