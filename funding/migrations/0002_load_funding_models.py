from django.db import migrations

from funding.vocabularies import load_funding_models


def load(apps, schema_editor):
    load_funding_models(apps.get_model("funding", "FundingModel"))


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
