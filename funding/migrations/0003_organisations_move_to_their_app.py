"""The foreign keys to organisations point at their new app; the columns and constraints
stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0002_load_funding_models'),
        ('organisations', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's record of the models moves.
            state_operations=[
                migrations.AlterField(
                    model_name='fundingcontribution',
                    name='funder',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='funding_contributions', to='organisations.organisation', verbose_name='funder'),
                ),
            ],
        ),
    ]
