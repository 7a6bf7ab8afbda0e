"""Sectors get a share: the table the plain many-to-many field used becomes the table of an
explicit model (its rows stay where they are), which gains a nullable ``share`` (0–100)."""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0011_lessons_learned_become_lessons"),
        ("reference", "0001_initial"),
    ]

    operations = [
        # The table, its columns and its unique index exist already: only Django's picture
        # of them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="InitiativeSector",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "initiative",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sector_links",
                                to="initiatives.initiative",
                                verbose_name="initiative",
                            ),
                        ),
                        (
                            "sector",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="initiative_links",
                                to="reference.sector",
                                verbose_name="sector",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "initiative sector",
                        "verbose_name_plural": "initiative sectors",
                        "db_table": "initiatives_initiative_sectors",
                        "ordering": ["sector"],
                        "unique_together": {("initiative", "sector")},
                    },
                ),
                migrations.AlterField(
                    model_name="initiative",
                    name="sectors",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="initiatives",
                        through="initiatives.InitiativeSector",
                        to="reference.sector",
                        verbose_name="sectors",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="initiativesector",
            name="share",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Share of the initiative's effort in this sector, if known.",
                max_digits=5,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(100),
                ],
                verbose_name="share (%)",
            ),
        ),
        migrations.AddConstraint(
            model_name="initiativesector",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("share__isnull", True),
                    models.Q(("share__gte", 0), ("share__lte", 100)),
                    _connector="OR",
                ),
                name="initiative_sector_share_0_100",
            ),
        ),
    ]
