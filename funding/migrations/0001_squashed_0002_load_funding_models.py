"""Funding models and contributions, and the funding models seen in civil-society-led
South-South cooperation (squashed from 0001-0002)."""

import django.db.models.deletion
import reference.iati
from django.db import migrations, models

from funding.vocabularies import load_funding_models
from ssdc_portal.migration_operations import time_stamped_fields


def load(apps, schema_editor):
    load_funding_models(apps.get_model("funding", "FundingModel"))


class Migration(migrations.Migration):

    replaces = [('funding', '0001_initial'), ('funding', '0002_load_funding_models')]

    initial = True

    dependencies = [
        ('initiatives', '0001_squashed_0004_search_vector_folds_accents'),
    ]

    operations = [
        migrations.CreateModel(
            name='FundingModel',
            fields=[
                *time_stamped_fields(),
                ('slug', models.SlugField(unique=True, verbose_name='slug')),
                ('name', models.CharField(max_length=150, unique=True, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('iati_flow_type', models.PositiveSmallIntegerField(choices=[(10, 'ODA'), (21, 'Non-export credit OOF'), (22, 'Officially supported export credits'), (30, 'Private Development Finance'), (36, 'Private Foreign Direct Investment'), (37, 'Other Private flows at market terms'), (40, 'Non flow'), (50, 'Other flows'), (60, 'PSI')], verbose_name='IATI flow type')),
                ('iati_finance_type', models.PositiveSmallIntegerField(choices=[(110, 'Standard grant'), (410, 'Aid loan excluding debt reorganisation'), (421, 'Standard loan'), (422, 'Reimbursable grant')], verbose_name='IATI finance type')),
                ('iati_collaboration_type', models.PositiveSmallIntegerField(choices=[(1, 'Bilateral'), (2, 'Multilateral (inflows)'), (3, 'Bilateral, core contributions to NGOs and other private bodies / PPPs'), (4, 'Multilateral outflows'), (6, 'Private sector outflows'), (7, 'Bilateral, ex-post reporting on NGOs’ activities funded through core contributions'), (8, 'Bilateral, triangular co-operation.')], verbose_name='IATI collaboration type')),
            ],
            options={
                'verbose_name': 'funding model',
                'verbose_name_plural': 'funding models',
                'ordering': ['position', 'name'],
            },
        ),
        migrations.CreateModel(
            name='FundingContribution',
            fields=[
                *time_stamped_fields(),
                ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=16, null=True, verbose_name='amount')),
                ('currency', models.CharField(blank=True, choices=reference.iati.currency_choices, max_length=3, verbose_name='currency')),
                ('year_start', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='from year')),
                ('year_end', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='to year')),
                ('is_in_kind', models.BooleanField(default=False, verbose_name='in kind')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('funder', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='funding_contributions', to='initiatives.actor', verbose_name='funder')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='funding_contributions', to='initiatives.initiative', verbose_name='initiative')),
                ('funding_model', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contributions', to='funding.fundingmodel', verbose_name='funding model')),
            ],
            options={
                'verbose_name': 'funding contribution',
                'verbose_name_plural': 'funding contributions',
                'constraints': [models.CheckConstraint(condition=models.Q(('amount__isnull', True), ('amount__gte', 0), _connector='OR'), name='funding_amount_not_negative'), models.CheckConstraint(condition=models.Q(models.Q(('amount__isnull', True), ('currency', '')), models.Q(('amount__isnull', False), models.Q(('currency', ''), _negated=True)), _connector='OR'), name='funding_amount_has_currency'), models.CheckConstraint(condition=models.Q(('year_start__isnull', True), ('year_end__isnull', True), ('year_end__gte', models.F('year_start')), _connector='OR'), name='funding_years_in_order'), models.CheckConstraint(condition=models.Q(('year_start__isnull', True), models.Q(('year_start__gte', 1950), ('year_start__lte', 2100)), _connector='OR'), name='funding_year_range')],
            },
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
