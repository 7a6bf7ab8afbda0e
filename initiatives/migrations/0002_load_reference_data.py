"""Load countries with World Bank income groups, DAC sectors, SDGs and modalities."""

from django.db import migrations

from reference import loaders


def load_reference_data(apps, schema_editor):
    loaders.load_countries(apps.get_model("initiatives", "Country"))
    loaders.load_sectors(apps.get_model("initiatives", "Sector"))
    loaders.load_sdg_goals(apps.get_model("initiatives", "SustainableDevelopmentGoal"))
    loaders.load_modalities(apps.get_model("initiatives", "Modality"))


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
