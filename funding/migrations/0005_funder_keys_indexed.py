"""The initiatives an organisation funds, found from an index alone (the funder indexed with
the initiative, replacing the funder's own index; see initiatives 0017)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0004_contribution_date"),
        ("initiatives", "0016_search_vectors_inline"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="fundingcontribution",
            index=models.Index(
                fields=["funder", "initiative"], name="contribution_funder_initiative"
            ),
        ),
        migrations.AlterField(
            model_name="fundingcontribution",
            name="funder",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="funding_contributions",
                to="organisations.organisation",
                verbose_name="funder",
            ),
        ),
    ]
