"""The foreign keys to organisations point at their new app; the columns and constraints
stay as they are.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0001_initial'),
        ('principles', '0002_load_busan_principles'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's record of the models moves.
            state_operations=[
                migrations.AlterField(
                    model_name='principleevidence',
                    name='confirmed_by_organisation',
                    field=models.ForeignKey(blank=True, help_text='A second organisation of the initiative that attests this evidence.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='confirmed_evidence', to='organisations.organisation', verbose_name='confirmed by organisation'),
                ),
                migrations.AlterField(
                    model_name='principleevidence',
                    name='recorded_by_organisation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recorded_evidence', to='organisations.organisation', verbose_name='recorded by organisation'),
                ),
            ],
        ),
    ]
