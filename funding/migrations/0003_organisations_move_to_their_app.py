"""The foreign keys to organisations point at their new app. Organisations 0001 repoints every
relation to the organisations it moves, so nothing is left to do here; the migration stays,
empty, because databases have recorded it.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0001_squashed_0002_load_funding_models'),
        ('organisations', '0001_initial'),
    ]

    operations = []
