"""Countries (with civic-space ratings and dialogue mechanisms), sectors, SDGs and modalities
move here from the initiatives app. Only Django's record of the models changes: the tables
keep their names (``db_table``) and their rows, and no SQL runs. The content types and
permissions follow in initiatives' migration 0007.
"""

from django.db import migrations

from ssdc_portal.migration_operations import MoveModel

MOVED = ["Modality", "Country", "Sector", "SustainableDevelopmentGoal", "CivicSpaceRating", "DialogueMechanism"]


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('initiatives', '0005_squashed_0006_year_ranges_and_document_help'),
    ]

    operations = [MoveModel("initiatives", name) for name in MOVED]
