"""Organisations (the initiatives app's ``Actor``) and network memberships move here. Only
Django's record of the models changes: the tables keep their names (``db_table``) and their
rows, and no SQL runs; the relations to them in every app point here now. The content types
and permissions follow in initiatives' migration 0007.
"""

import django.db.models.deletion
from django.db import migrations, models

from ssdc_portal.migration_operations import MoveModel


class Migration(migrations.Migration):

    initial = True

    # Every migration that adds a relation to the moved models comes before the move.
    dependencies = [
        ('accounts', '0002_squashed_0004_api_tokens'),
        ('funding', '0001_squashed_0002_load_funding_models'),
        ('principles', '0001_squashed_0002_load_busan_principles'),
        ('reference', '0001_initial'),
    ]

    operations = [
        MoveModel("initiatives", "Actor", "Organisation"),
        MoveModel("initiatives", "NetworkMembership"),
        # A country lists its organisations as ``organisations`` (not ``actors``): no SQL.
        migrations.AlterField(
            model_name='organisation',
            name='home_country',
            field=models.ForeignKey(blank=True, help_text='Leave empty for multilateral or global organisations.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='organisations', to='reference.country', verbose_name='home country'),
        ),
    ]
