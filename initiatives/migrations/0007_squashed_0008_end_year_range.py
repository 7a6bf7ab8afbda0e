"""The models of reference data and organisations have left this app (reference 0001 and
organisations 0001 moved Django's record of them; no table changed). Their content types are
renamed in place here (``initiatives.actor`` becomes ``organisations.organisation``,
``initiatives.country`` becomes ``reference.country``…), and so are the permissions' codenames
(``change_actor`` becomes ``change_organisation``), rather than left for Django to create new
ones: the groups that hold these permissions (Moderators), the admin's log and
django-reversion's history keep pointing at the same rows. Versions kept in history name their
model inside their serialised data; that name is rewritten too, so that old versions can still
be read. Then the database checks the range of an initiative's end year. (Squashed from
0007-0008.)
"""

import json

from django.conf import settings
from django.db import migrations, models


# (app label, model) before → after
MOVES = {
    ("initiatives", "country"): ("reference", "country"),
    ("initiatives", "civicspacerating"): ("reference", "civicspacerating"),
    ("initiatives", "dialoguemechanism"): ("reference", "dialoguemechanism"),
    ("initiatives", "sector"): ("reference", "sector"),
    ("initiatives", "sustainabledevelopmentgoal"): ("reference", "sustainabledevelopmentgoal"),
    ("initiatives", "modality"): ("reference", "modality"),
    ("initiatives", "actor"): ("organisations", "organisation"),
    ("initiatives", "networkmembership"): ("organisations", "networkmembership"),
}


def _codename(codename, old_model, new_model):
    """``change_actor`` → ``change_organisation``; other codenames stay as they are."""
    if codename.endswith(f"_{old_model}"):
        return codename[: -len(old_model)] + new_model
    return codename


def _merge(apps, db, *, duplicate, into, old_model, new_model):
    """Fold a content type made under the new name (a new database's migrations may create
    permissions for every model they know of at some step) into the one being renamed: what
    points at the duplicate points at the kept one, and so do the groups and users holding its
    permissions."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for relation in ContentType._meta.related_objects:
        if relation.related_model is Permission or not relation.one_to_many:
            continue
        name = relation.field.name
        relation.related_model._base_manager.using(db).filter(**{name: duplicate}).update(
            **{name: into}
        )
    for permission in Permission.objects.using(db).filter(content_type=duplicate):
        codename = _codename(permission.codename, new_model, old_model)
        kept = Permission.objects.using(db).filter(content_type=into, codename=codename).first()
        if kept is None:
            permission.content_type, permission.codename = into, codename
            permission.save(update_fields=["content_type", "codename"])
            continue
        kept.group_set.add(*permission.group_set.all())
        kept.user_set.add(*permission.user_set.all())
        permission.delete()
    ContentType.objects.using(db).filter(pk=duplicate.pk).delete()


def _rewrite_versions(apps, db, *, content_type, old_label, new_label):
    Version = apps.get_model("reversion", "Version")
    for version in Version.objects.using(db).filter(content_type=content_type, format="json"):
        objects = json.loads(version.serialized_data)
        for serialised in objects:
            if serialised.get("model") == old_label:
                serialised["model"] = new_label
        version.serialized_data = json.dumps(objects, ensure_ascii=False)
        version.save(update_fields=["serialized_data"])


def _move(apps, schema_editor, moves):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for (old_app, old_model), (new_app, new_model) in moves.items():
        content_type = ContentType.objects.using(db).filter(app_label=old_app, model=old_model).first()
        if content_type is None:
            continue  # never made (a new database makes it under the new name after migrating)
        duplicate = ContentType.objects.using(db).filter(app_label=new_app, model=new_model).first()
        if duplicate is not None:
            _merge(apps, db, duplicate=duplicate, into=content_type, old_model=old_model, new_model=new_model)
        content_type.app_label, content_type.model = new_app, new_model
        content_type.save(update_fields=["app_label", "model"])
        for permission in Permission.objects.using(db).filter(content_type=content_type):
            codename = _codename(permission.codename, old_model, new_model)
            if codename != permission.codename:
                permission.codename = codename
                permission.save(update_fields=["codename"])
        _rewrite_versions(
            apps,
            db,
            content_type=content_type,
            old_label=f"{old_app}.{old_model}",
            new_label=f"{new_app}.{new_model}",
        )


def move_content_types(apps, schema_editor):
    _move(apps, schema_editor, MOVES)


def move_content_types_back(apps, schema_editor):
    _move(apps, schema_editor, {new: old for old, new in MOVES.items()})


class Migration(migrations.Migration):

    replaces = [('initiatives', '0007_reference_data_and_organisations_move_out'), ('initiatives', '0008_end_year_range')]

    dependencies = [
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('reversion', '0002_add_index_on_version_for_content_type_and_db'),
        ('accounts', '0005_squashed_0008_organisations_move_to_their_app'),
        ('initiatives', '0005_squashed_0006_year_ranges_and_document_help'),
        ('organisations', '0001_initial'),
        ('reference', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.AddConstraint(
            model_name='initiative',
            constraint=models.CheckConstraint(condition=models.Q(('end_year__isnull', True), models.Q(('end_year__gte', 1950), ('end_year__lte', 2100)), _connector='OR'), name='initiative_end_year_range'),
        ),
    ]
