from django.core.management.base import BaseCommand
from django.db import transaction

from funding.models import FundingModel
from funding.vocabularies import load_funding_models
from initiatives.models import Country, Modality, Sector, SustainableDevelopmentGoal
from initiatives.reference_data import loaders
from principles.models import Principle, PrincipleSet
from principles.vocabularies import load_principle_set


class Command(BaseCommand):
    help = (
        "Reload the reference tables (countries with income groups, DAC sectors, SDGs, "
        "modalities, funding models, Busan principles) from the files the project carries. "
        "Migrations already load them; run this after updating those files."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        counts = {
            "countries": loaders.load_countries(Country),
            "sectors": loaders.load_sectors(Sector),
            "SDG goals": loaders.load_sdg_goals(SustainableDevelopmentGoal),
            "modalities": loaders.load_modalities(Modality),
            "funding models": load_funding_models(FundingModel),
            "Busan principles": load_principle_set(PrincipleSet, Principle),
        }
        for name, count in counts.items():
            self.stdout.write(f"{count:5d} {name}")
