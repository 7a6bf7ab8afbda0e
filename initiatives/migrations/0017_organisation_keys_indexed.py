"""An organisation's initiatives found from an index alone.

An organisation's profile reads the keys of every initiative it owns or takes part in (tens of
thousands for the busiest): with the owner and the organisation indexed together with the
initiative's key, PostgreSQL answers from the index without visiting a row of the tables. The
new indexes start with the organisation, so they also serve every lookup by organisation
that the single-column indexes they replace served.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0016_search_vectors_inline"),
        ("organisations", "0001_initial"),
        ("reference", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="initiative",
            index=models.Index(fields=["owner", "id"], name="initiative_owner_id"),
        ),
        migrations.AddIndex(
            model_name="participation",
            index=models.Index(
                fields=["actor", "initiative"], name="participation_actor_initiative"
            ),
        ),
        migrations.AlterField(
            model_name="initiative",
            name="owner",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="owned_initiatives",
                to="organisations.organisation",
                verbose_name="owner organisation",
            ),
        ),
        migrations.AlterField(
            model_name="participation",
            name="actor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="participations",
                to="organisations.organisation",
                verbose_name="organisation",
            ),
        ),
    ]
