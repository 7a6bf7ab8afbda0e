"""Published versions of initiatives, numbered from their history, and the time a record
was archived (withdrawn)."""

import json

import django.db.models.deletion
from django.db import migrations, models


def _stored_state(version) -> str | None:
    try:
        return json.loads(version.serialized_data)[0]["fields"].get("state")
    except (ValueError, LookupError, TypeError):
        return None


def number_published_versions(apps, schema_editor):
    """Each revision that holds a published or archived record as published becomes its next
    version, oldest first; a published record whose history never stored it as published
    (data loaded in bulk) gets version 1 from its latest revision. An archived record's
    withdrawal time is that of the revision that archived it, else its last change."""
    Initiative = apps.get_model("initiatives", "Initiative")
    PublishedVersion = apps.get_model("initiatives", "PublishedVersion")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Version = apps.get_model("reversion", "Version")
    content_type = ContentType.objects.filter(app_label="initiatives", model="initiative").first()
    if content_type is None:
        return
    records = Initiative.objects.filter(state__in=["published", "archived"]).only(
        "pk", "state", "updated_at"
    )
    for record in records.iterator():
        history = (
            Version.objects.filter(content_type=content_type, object_id=str(record.pk))
            .select_related("revision")
            .order_by("revision__date_created", "revision_id")
        )
        numbered = []
        archived_at = None
        for version in history:
            state = _stored_state(version)
            if state == "published":
                numbered.append(version.revision)
                archived_at = None
            elif state == "archived" and numbered and archived_at is None:
                archived_at = version.revision.date_created
        if not numbered and record.state == "published" and history:
            numbered = [list(history)[-1].revision]
        PublishedVersion.objects.bulk_create(
            PublishedVersion(
                initiative_id=record.pk,
                number=number,
                revision=revision,
                published_at=revision.date_created,
            )
            for number, revision in enumerate(numbered, start=1)
        )
        if record.state == "archived":
            Initiative.objects.filter(pk=record.pk).update(
                archived_at=archived_at or record.updated_at
            )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0012_sector_shares"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="archived_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="archived at"),
        ),
        migrations.CreateModel(
            name="PublishedVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("number", models.PositiveIntegerField(verbose_name="version number")),
                ("published_at", models.DateTimeField(verbose_name="published at")),
                (
                    "initiative",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="published_versions",
                        to="initiatives.initiative",
                        verbose_name="initiative",
                    ),
                ),
                (
                    "revision",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="reversion.revision",
                        verbose_name="revision",
                    ),
                ),
            ],
            options={
                "verbose_name": "published version",
                "verbose_name_plural": "published versions",
                "ordering": ["initiative", "number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("initiative", "number"), name="published_version_number_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("number__gte", 1)),
                        name="published_version_number_positive",
                    ),
                ],
            },
        ),
        migrations.RunPython(number_published_versions, migrations.RunPython.noop),
    ]
