"""Countries (with civic-space ratings and dialogue mechanisms), sectors, SDGs and modalities
move here from the initiatives app. Only Django's record of the models changes: the tables
keep their names (``db_table``) and their rows, and no SQL runs. The content types and
permissions follow in initiatives' migration 0007.
"""

import django.db.models.deletion
import django_countries.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('initiatives', '0006_year_ranges_and_document_help'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's record of the models moves.
            state_operations=[
                migrations.CreateModel(
                    name='Modality',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('slug', models.SlugField(unique=True, verbose_name='slug')),
                        ('name', models.CharField(max_length=120, unique=True, verbose_name='name')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                    ],
                    options={
                        'verbose_name': 'modality',
                        'verbose_name_plural': 'modalities',
                        'db_table': 'initiatives_modality',
                        'ordering': ['position', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='Country',
                    fields=[
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('code', django_countries.fields.CountryField(max_length=2, primary_key=True, serialize=False, verbose_name='country')),
                        ('income_group', models.CharField(blank=True, choices=[('low', 'Low income'), ('lower_middle', 'Lower-middle income'), ('upper_middle', 'Upper-middle income'), ('high', 'High income')], max_length=16, verbose_name='income group')),
                        ('income_group_fiscal_year', models.PositiveSmallIntegerField(blank=True, help_text='World Bank fiscal year of the classification, e.g. 2025.', null=True, verbose_name='income group fiscal year')),
                        ('region', models.CharField(blank=True, max_length=64, verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'country',
                        'verbose_name_plural': 'countries',
                        'db_table': 'initiatives_country',
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('income_group', ''), ('income_group_fiscal_year__isnull', True)), models.Q(models.Q(('income_group', ''), _negated=True), ('income_group_fiscal_year__isnull', False)), _connector='OR'), name='country_income_group_has_fiscal_year'), models.CheckConstraint(condition=models.Q(('income_group__in', ['', 'low', 'lower_middle', 'upper_middle', 'high'])), name='country_income_group_valid')],
                    },
                ),
                migrations.CreateModel(
                    name='Sector',
                    fields=[
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('code', models.CharField(max_length=5, primary_key=True, serialize=False, verbose_name='code')),
                        ('name', models.CharField(max_length=300, verbose_name='name')),
                        ('translated_names', models.JSONField(blank=True, default=dict, verbose_name='translated names')),
                        ('category_code', models.CharField(max_length=3, verbose_name='category code')),
                        ('category_name', models.CharField(max_length=300, verbose_name='category')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'sector',
                        'verbose_name_plural': 'sectors',
                        'db_table': 'initiatives_sector',
                        'ordering': ['code'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('code__regex', '^[0-9]{5}$')), name='sector_code_five_digits')],
                    },
                ),
                migrations.CreateModel(
                    name='SustainableDevelopmentGoal',
                    fields=[
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('number', models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name='number')),
                        ('name', models.CharField(max_length=300, verbose_name='name')),
                        ('translated_names', models.JSONField(blank=True, default=dict, verbose_name='translated names')),
                    ],
                    options={
                        'verbose_name': 'sustainable development goal',
                        'verbose_name_plural': 'sustainable development goals',
                        'db_table': 'initiatives_sustainabledevelopmentgoal',
                        'ordering': ['number'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('number__gte', 1), ('number__lte', 17)), name='sdg_number_1_17')],
                    },
                ),
                migrations.CreateModel(
                    name='CivicSpaceRating',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                        ('source', models.CharField(choices=[('civicus_monitor', 'CIVICUS Monitor'), ('enabling_environment_index', 'Enabling Environment Index'), ('other', 'Other')], max_length=32, verbose_name='source')),
                        ('rating', models.CharField(blank=True, choices=[('open', 'Open'), ('narrowed', 'Narrowed'), ('obstructed', 'Obstructed'), ('repressed', 'Repressed'), ('closed', 'Closed')], max_length=16, verbose_name='rating')),
                        ('score', models.DecimalField(blank=True, decimal_places=2, help_text='On a 0–100 scale; rescale indices published on 0–1.', max_digits=5, null=True, verbose_name='score')),
                        ('source_url', models.URLField(blank=True, verbose_name='source URL')),
                        ('country', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='civic_space_ratings', to='reference.country', verbose_name='country')),
                    ],
                    options={
                        'verbose_name': 'civic space rating',
                        'verbose_name_plural': 'civic space ratings',
                        'db_table': 'initiatives_civicspacerating',
                        'ordering': ['country', 'year'],
                        'constraints': [models.UniqueConstraint(fields=('country', 'year', 'source'), name='civic_space_rating_unique_per_year'), models.CheckConstraint(condition=models.Q(models.Q(('rating', ''), _negated=True), ('score__isnull', False), _connector='OR'), name='civic_space_rating_has_rating_or_score'), models.CheckConstraint(condition=models.Q(('score__isnull', True), models.Q(('score__gte', 0), ('score__lte', 100)), _connector='OR'), name='civic_space_rating_score_0_100'), models.CheckConstraint(condition=models.Q(('year__gte', 1990), ('year__lte', 2100)), name='civic_space_rating_year_range')],
                    },
                ),
                migrations.CreateModel(
                    name='DialogueMechanism',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('kind', models.CharField(choices=[('national', 'National participatory space'), ('bilateral', 'Bilateral dialogue'), ('multilateral', 'Multilateral mechanism')], max_length=16, verbose_name='kind')),
                        ('year_started', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year started')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('source_citation', models.CharField(blank=True, max_length=500, verbose_name='source')),
                        ('source_url', models.URLField(blank=True, verbose_name='source URL')),
                        ('country', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dialogue_mechanisms', to='reference.country', verbose_name='country')),
                    ],
                    options={
                        'verbose_name': 'dialogue mechanism',
                        'verbose_name_plural': 'dialogue mechanisms',
                        'db_table': 'initiatives_dialoguemechanism',
                        'ordering': ['country', 'name'],
                        'constraints': [models.UniqueConstraint(fields=('country', 'name'), name='dialogue_mechanism_unique_name'), models.CheckConstraint(condition=models.Q(('year_started__isnull', True), models.Q(('year_started__gte', 1900), ('year_started__lte', 2100)), _connector='OR'), name='dialogue_mechanism_year_range')],
                    },
                ),
            ],
        ),
    ]
