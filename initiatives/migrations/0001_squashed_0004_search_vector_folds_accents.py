"""The initiatives app's models, and the reference data they use: countries with World Bank
income groups, DAC sectors, SDGs and modalities (squashed from 0001-0004; the refresh of search
vectors that 0004 made has nothing to do on a new database and is left out).
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.core.validators
import django.db.models.deletion
import django_countries.fields
import initiatives.uploads
import reference.iati
from django.conf import settings
from django.db import migrations, models

from reference import loaders
from ssdc_portal.migration_operations import time_stamped_fields


def load_reference_data(apps, schema_editor):
    loaders.load_countries(apps.get_model("initiatives", "Country"))
    loaders.load_sectors(apps.get_model("initiatives", "Sector"))
    loaders.load_sdg_goals(apps.get_model("initiatives", "SustainableDevelopmentGoal"))
    loaders.load_modalities(apps.get_model("initiatives", "Modality"))


class Migration(migrations.Migration):

    replaces = [('initiatives', '0001_initial'), ('initiatives', '0002_load_reference_data'), ('initiatives', '0003_source_document_content_check'), ('initiatives', '0004_search_vector_folds_accents')]

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Modality',
            fields=[
                *time_stamped_fields(),
                ('slug', models.SlugField(unique=True, verbose_name='slug')),
                ('name', models.CharField(max_length=120, unique=True, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
            ],
            options={
                'verbose_name': 'modality',
                'verbose_name_plural': 'modalities',
                'ordering': ['position', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Country',
            fields=[
                *time_stamped_fields(auto_id=False),
                ('code', django_countries.fields.CountryField(max_length=2, primary_key=True, serialize=False, verbose_name='country')),
                ('income_group', models.CharField(blank=True, choices=[('low', 'Low income'), ('lower_middle', 'Lower-middle income'), ('upper_middle', 'Upper-middle income'), ('high', 'High income')], max_length=16, verbose_name='income group')),
                ('income_group_fiscal_year', models.PositiveSmallIntegerField(blank=True, help_text='World Bank fiscal year of the classification, e.g. 2025.', null=True, verbose_name='income group fiscal year')),
                ('region', models.CharField(blank=True, max_length=64, verbose_name='region')),
            ],
            options={
                'verbose_name': 'country',
                'verbose_name_plural': 'countries',
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('income_group', ''), ('income_group_fiscal_year__isnull', True)), models.Q(models.Q(('income_group', ''), _negated=True), ('income_group_fiscal_year__isnull', False)), _connector='OR'), name='country_income_group_has_fiscal_year'), models.CheckConstraint(condition=models.Q(('income_group__in', ['', 'low', 'lower_middle', 'upper_middle', 'high'])), name='country_income_group_valid')],
            },
        ),
        migrations.CreateModel(
            name='Actor',
            fields=[
                *time_stamped_fields(),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('acronym', models.CharField(blank=True, max_length=30, verbose_name='acronym')),
                ('slug', models.SlugField(max_length=120, unique=True, verbose_name='slug')),
                ('actor_type', models.CharField(choices=[('national_ngo', 'National NGO'), ('community_based', 'Community-based organisation'), ('social_movement', 'Social movement'), ('faith_based', 'Faith-based organisation'), ('international_ngo', 'International NGO'), ('network', 'Network or alliance'), ('national_government', 'National government agency'), ('local_government', 'Local government'), ('private_sector', 'Private sector'), ('academic', 'Academic or research institution'), ('multilateral', 'Multilateral organisation'), ('foundation', 'Foundation'), ('traditional_donor', 'Traditional donor agency')], max_length=32, verbose_name='type')),
                ('iati_identifier', models.CharField(blank=True, help_text='As registered with IATI, e.g. BR-CNPJ-00000000000000.', max_length=100, verbose_name='IATI organisation identifier')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('home_country', models.ForeignKey(blank=True, help_text='Leave empty for multilateral or global organisations.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='actors', to='initiatives.country', verbose_name='home country')),
            ],
            options={
                'verbose_name': 'organisation',
                'verbose_name_plural': 'organisations',
                'ordering': ['name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('actor_type__in', ['national_ngo', 'community_based', 'social_movement', 'faith_based', 'international_ngo', 'network', 'national_government', 'local_government', 'private_sector', 'academic', 'multilateral', 'foundation', 'traditional_donor'])), name='actor_type_valid'), models.UniqueConstraint(condition=models.Q(('iati_identifier', ''), _negated=True), fields=('iati_identifier',), name='actor_unique_iati_identifier'), models.CheckConstraint(condition=models.Q(('name', ''), _negated=True), name='actor_name_not_empty')],
            },
        ),
        migrations.CreateModel(
            name='Initiative',
            fields=[
                *time_stamped_fields(),
                ('title', models.CharField(max_length=250, verbose_name='title')),
                ('slug', models.SlugField(max_length=120, unique=True, verbose_name='slug')),
                ('summary', models.TextField(max_length=1000, verbose_name='summary')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('language', models.CharField(choices=reference.iati.language_choices, default='en', max_length=2, verbose_name='language of the text')),
                ('activity_status', models.PositiveSmallIntegerField(choices=[(1, 'Pipeline/identification'), (2, 'Implementation'), (3, 'Finalisation'), (4, 'Closed'), (5, 'Cancelled'), (6, 'Suspended')], default=2, verbose_name='activity status')),
                ('planned_start', models.DateField(blank=True, null=True, verbose_name='planned start')),
                ('actual_start', models.DateField(blank=True, null=True, verbose_name='actual start')),
                ('planned_end', models.DateField(blank=True, null=True, verbose_name='planned end')),
                ('actual_end', models.DateField(blank=True, null=True, verbose_name='actual end')),
                ('start_year', models.PositiveSmallIntegerField(blank=True, help_text='The year work began, when the exact date is not known.', null=True, verbose_name='start year')),
                ('end_year', models.PositiveSmallIntegerField(blank=True, help_text='The year work ended, when the exact date is not known.', null=True, verbose_name='end year')),
                ('cooperation_type', models.CharField(choices=[('bilateral', 'South-South bilateral'), ('triangular', 'Triangular (with a traditional donor or multilateral)'), ('regional', 'Regional')], max_length=16, verbose_name='cooperation type')),
                ('is_fragile_state', models.BooleanField(default=False, verbose_name='fragile state context')),
                ('is_post_disaster', models.BooleanField(default=False, verbose_name='post-disaster context')),
                ('is_conflict_affected', models.BooleanField(default=False, verbose_name='conflict-affected context')),
                ('provider_government_involvement', models.CharField(blank=True, choices=[('none', 'None'), ('informed', 'Informed'), ('consulted', 'Consulted'), ('collaborating', 'Collaborating'), ('co_implementing', 'Co-implementing')], max_length=16, verbose_name='provider-side government involvement')),
                ('recipient_government_involvement', models.CharField(blank=True, choices=[('none', 'None'), ('informed', 'Informed'), ('consulted', 'Consulted'), ('collaborating', 'Collaborating'), ('co_implementing', 'Co-implementing')], max_length=16, verbose_name='recipient-side government involvement')),
                ('coordinates_with_other_donors', models.BooleanField(blank=True, null=True, verbose_name='coordinates with other donors or INGOs')),
                ('coordination_note', models.TextField(blank=True, verbose_name='coordination note')),
                ('lessons_learned', models.TextField(blank=True, verbose_name='lessons learned')),
                ('state', models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Submitted for review'), ('returned', 'Returned to the organisation'), ('published', 'Published'), ('archived', 'Archived')], default='draft', max_length=16, verbose_name='moderation state')),
                ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='first published at')),
                ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='last reviewed at')),
                ('reviewed_version', models.PositiveIntegerField(blank=True, null=True, verbose_name='reviewed version')),
                ('review_note', models.TextField(blank=True, verbose_name="reviewer's note")),
                ('search_vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True, verbose_name='search vector')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='owned_initiatives', to='initiatives.actor', verbose_name='owner organisation')),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reviewed by')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='last changed by')),
            ],
            options={
                'verbose_name': 'initiative',
                'verbose_name_plural': 'initiatives',
                'ordering': ['-updated_at', '-id'],
                'permissions': [('moderate_initiative', 'Can review, publish and archive initiatives')],
                'indexes': [django.contrib.postgres.indexes.GinIndex(fields=['search_vector'], name='initiative_search_gin'), models.Index(fields=['state', '-updated_at'], name='initiative_state_updated')],
                'constraints': [models.CheckConstraint(condition=models.Q(('title', ''), _negated=True), name='initiative_title_not_empty'), models.CheckConstraint(condition=models.Q(('slug', ''), _negated=True), name='initiative_slug_not_empty'), models.CheckConstraint(condition=models.Q(('state__in', ['draft', 'submitted', 'returned', 'published', 'archived'])), name='initiative_state_valid'), models.CheckConstraint(condition=models.Q(('cooperation_type__in', ['bilateral', 'triangular', 'regional'])), name='initiative_cooperation_type_valid'), models.CheckConstraint(condition=models.Q(('version__gte', 1)), name='initiative_version_positive'), models.CheckConstraint(condition=models.Q(('planned_start__isnull', True), ('planned_end__isnull', True), ('planned_end__gte', models.F('planned_start')), _connector='OR'), name='initiative_planned_end_after_start'), models.CheckConstraint(condition=models.Q(('actual_start__isnull', True), ('actual_end__isnull', True), ('actual_end__gte', models.F('actual_start')), _connector='OR'), name='initiative_actual_end_after_start'), models.CheckConstraint(condition=models.Q(('start_year__isnull', True), ('end_year__isnull', True), ('end_year__gte', models.F('start_year')), _connector='OR'), name='initiative_end_year_after_start_year'), models.CheckConstraint(condition=models.Q(('start_year__isnull', True), models.Q(('start_year__gte', 1950), ('start_year__lte', 2100)), _connector='OR'), name='initiative_start_year_range')],
            },
        ),
        migrations.CreateModel(
            name='InitiativeCountry',
            fields=[
                *time_stamped_fields(),
                ('role', models.CharField(choices=[('provider', 'Provider'), ('recipient', 'Recipient')], max_length=16, verbose_name='role')),
                ('share', models.DecimalField(blank=True, decimal_places=2, help_text="Share of the initiative's effort in this country, if known.", max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='share (%)')),
                ('country', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='initiative_links', to='initiatives.country', verbose_name='country')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='country_links', to='initiatives.initiative', verbose_name='initiative')),
            ],
            options={
                'verbose_name': 'initiative country',
                'verbose_name_plural': 'initiative countries',
                'ordering': ['role', 'country'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'country', 'role'), name='initiative_country_unique_role'), models.CheckConstraint(condition=models.Q(('role__in', ['provider', 'recipient'])), name='initiative_country_role_valid'), models.CheckConstraint(condition=models.Q(('share__isnull', True), models.Q(('share__gte', 0), ('share__lte', 100)), _connector='OR'), name='initiative_country_share_0_100')],
            },
        ),
        migrations.AddField(
            model_name='initiative',
            name='countries',
            field=models.ManyToManyField(related_name='initiatives', through='initiatives.InitiativeCountry', to='initiatives.country', verbose_name='countries'),
        ),
        migrations.AddField(
            model_name='initiative',
            name='modalities',
            field=models.ManyToManyField(blank=True, related_name='initiatives', to='initiatives.modality', verbose_name='modalities'),
        ),
        migrations.CreateModel(
            name='NetworkMembership',
            fields=[
                *time_stamped_fields(),
                ('joined_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='joined in')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='network_links', to='initiatives.actor', verbose_name='member')),
                ('network', models.ForeignKey(limit_choices_to={'actor_type': 'network'}, on_delete=django.db.models.deletion.CASCADE, related_name='member_links', to='initiatives.actor', verbose_name='network')),
            ],
            options={
                'verbose_name': 'network membership',
                'verbose_name_plural': 'network memberships',
                'constraints': [models.UniqueConstraint(fields=('member', 'network'), name='network_membership_unique'), models.CheckConstraint(condition=models.Q(('member', models.F('network')), _negated=True), name='network_membership_not_self')],
            },
        ),
        migrations.AddField(
            model_name='actor',
            name='networks',
            field=models.ManyToManyField(blank=True, related_name='members', through='initiatives.NetworkMembership', through_fields=('member', 'network'), to='initiatives.actor', verbose_name='networks'),
        ),
        migrations.CreateModel(
            name='NonMonetaryContribution',
            fields=[
                *time_stamped_fields(),
                ('kind', models.CharField(choices=[('person_days', 'Person-days'), ('participants', 'Participants'), ('exchange_visits', 'Exchange visits'), ('training_sessions', 'Training sessions'), ('other', 'Other (give the unit)')], max_length=20, verbose_name='kind')),
                ('quantity', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='quantity')),
                ('unit', models.CharField(blank=True, max_length=60, verbose_name='unit')),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year')),
                ('note', models.CharField(blank=True, max_length=500, verbose_name='note')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='non_monetary_contributions', to='initiatives.initiative', verbose_name='initiative')),
            ],
            options={
                'verbose_name': 'non-monetary contribution',
                'verbose_name_plural': 'non-monetary contributions',
                'constraints': [models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='non_monetary_quantity_positive'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'other'), _negated=True), models.Q(('unit', ''), _negated=True), _connector='OR'), name='non_monetary_other_has_unit')],
            },
        ),
        migrations.CreateModel(
            name='Outcome',
            fields=[
                *time_stamped_fields(),
                ('title', models.CharField(max_length=250, verbose_name='title')),
                ('narrative', models.TextField(blank=True, verbose_name='what changed')),
                ('result_type', models.PositiveSmallIntegerField(choices=[(1, 'Output'), (2, 'Outcome'), (3, 'Impact'), (9, 'Other')], default=2, verbose_name='result type')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outcomes', to='initiatives.initiative', verbose_name='initiative')),
            ],
            options={
                'verbose_name': 'outcome',
                'verbose_name_plural': 'outcomes',
                'ordering': ['position', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('title', ''), _negated=True), name='outcome_title_not_empty')],
            },
        ),
        migrations.CreateModel(
            name='Indicator',
            fields=[
                *time_stamped_fields(),
                ('name', models.CharField(max_length=250, verbose_name='indicator')),
                ('unit', models.CharField(blank=True, max_length=60, verbose_name='unit')),
                ('baseline', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='baseline')),
                ('baseline_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='baseline year')),
                ('target', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='target')),
                ('target_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='target year')),
                ('actual', models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True, verbose_name='actual')),
                ('actual_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='actual year')),
                ('outcome', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='indicators', to='initiatives.outcome', verbose_name='outcome')),
            ],
            options={
                'verbose_name': 'indicator',
                'verbose_name_plural': 'indicators',
                'constraints': [models.CheckConstraint(condition=models.Q(('name', ''), _negated=True), name='indicator_name_not_empty'), models.CheckConstraint(condition=models.Q(('baseline_year__isnull', True), ('target_year__isnull', True), ('target_year__gte', models.F('baseline_year')), _connector='OR'), name='indicator_target_year_after_baseline'), models.CheckConstraint(condition=models.Q(('baseline_year__isnull', True), ('actual_year__isnull', True), ('actual_year__gte', models.F('baseline_year')), _connector='OR'), name='indicator_actual_year_after_baseline')],
            },
        ),
        migrations.CreateModel(
            name='Participation',
            fields=[
                *time_stamped_fields(),
                ('role', models.CharField(choices=[('lead', 'Lead'), ('implementing', 'Implementing'), ('funding', 'Funding'), ('partner', 'Partner'), ('accountable', 'Accountable')], max_length=16, verbose_name='role')),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='participations', to='initiatives.actor', verbose_name='organisation')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participations', to='initiatives.initiative', verbose_name='initiative')),
            ],
            options={
                'verbose_name': 'participation',
                'verbose_name_plural': 'participations',
                'constraints': [models.UniqueConstraint(fields=('initiative', 'actor', 'role'), name='participation_unique_role'), models.CheckConstraint(condition=models.Q(('role__in', ['lead', 'implementing', 'funding', 'partner', 'accountable'])), name='participation_role_valid')],
            },
        ),
        migrations.AddField(
            model_name='initiative',
            name='participants',
            field=models.ManyToManyField(related_name='initiatives', through='initiatives.Participation', to='initiatives.actor', verbose_name='participating organisations'),
        ),
        migrations.CreateModel(
            name='Sector',
            fields=[
                *time_stamped_fields(auto_id=False),
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
                'ordering': ['code'],
                'constraints': [models.CheckConstraint(condition=models.Q(('code__regex', '^[0-9]{5}$')), name='sector_code_five_digits')],
            },
        ),
        migrations.AddField(
            model_name='initiative',
            name='sectors',
            field=models.ManyToManyField(blank=True, related_name='initiatives', to='initiatives.sector', verbose_name='sectors'),
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                *time_stamped_fields(),
                ('citation', models.CharField(help_text='Author, title, publisher and year, as you would cite it.', max_length=500, verbose_name='citation')),
                ('url', models.URLField(blank=True, max_length=500, verbose_name='link')),
                ('document_type', models.CharField(choices=[('evaluation', 'Evaluation'), ('annual_report', 'Annual report'), ('case_study', 'Case study'), ('research', 'Research publication'), ('project_document', 'Project document'), ('news', 'News or media article'), ('web_page', 'Web page'), ('other', 'Other')], default='other', max_length=20, verbose_name='document type')),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year')),
                ('language', models.CharField(blank=True, choices=reference.iati.language_choices, max_length=2, verbose_name='language')),
                ('document', models.FileField(blank=True, help_text='PDF, DOCX, ODT or an image (PNG, JPEG, WebP), up to 10 MB.', upload_to='sources/%Y/%m/', validators=[django.core.validators.FileExtensionValidator(['pdf', 'docx', 'odt', 'png', 'jpg', 'jpeg', 'webp']), initiatives.uploads.DocumentValidator()], verbose_name='document')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sources', to='initiatives.initiative', verbose_name='initiative')),
            ],
            options={
                'verbose_name': 'source',
                'verbose_name_plural': 'sources',
                'ordering': ['-year', 'citation'],
                'constraints': [models.CheckConstraint(condition=models.Q(('citation', ''), _negated=True), name='source_citation_not_empty'), models.CheckConstraint(condition=models.Q(('year__isnull', True), models.Q(('year__gte', 1900), ('year__lte', 2100)), _connector='OR'), name='source_year_range')],
            },
        ),
        migrations.CreateModel(
            name='SustainableDevelopmentGoal',
            fields=[
                *time_stamped_fields(auto_id=False),
                ('number', models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name='number')),
                ('name', models.CharField(max_length=300, verbose_name='name')),
                ('translated_names', models.JSONField(blank=True, default=dict, verbose_name='translated names')),
            ],
            options={
                'verbose_name': 'sustainable development goal',
                'verbose_name_plural': 'sustainable development goals',
                'ordering': ['number'],
                'constraints': [models.CheckConstraint(condition=models.Q(('number__gte', 1), ('number__lte', 17)), name='sdg_number_1_17')],
            },
        ),
        migrations.AddField(
            model_name='initiative',
            name='sdg_goals',
            field=models.ManyToManyField(blank=True, related_name='initiatives', to='initiatives.sustainabledevelopmentgoal', verbose_name='SDG goals'),
        ),
        migrations.CreateModel(
            name='CivicSpaceRating',
            fields=[
                *time_stamped_fields(),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('source', models.CharField(choices=[('civicus_monitor', 'CIVICUS Monitor'), ('enabling_environment_index', 'Enabling Environment Index'), ('other', 'Other')], max_length=32, verbose_name='source')),
                ('rating', models.CharField(blank=True, choices=[('open', 'Open'), ('narrowed', 'Narrowed'), ('obstructed', 'Obstructed'), ('repressed', 'Repressed'), ('closed', 'Closed')], max_length=16, verbose_name='rating')),
                ('score', models.DecimalField(blank=True, decimal_places=2, help_text='On a 0–100 scale; rescale indices published on 0–1.', max_digits=5, null=True, verbose_name='score')),
                ('source_url', models.URLField(blank=True, verbose_name='source URL')),
                ('country', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='civic_space_ratings', to='initiatives.country', verbose_name='country')),
            ],
            options={
                'verbose_name': 'civic space rating',
                'verbose_name_plural': 'civic space ratings',
                'ordering': ['country', 'year'],
                'constraints': [models.UniqueConstraint(fields=('country', 'year', 'source'), name='civic_space_rating_unique_per_year'), models.CheckConstraint(condition=models.Q(models.Q(('rating', ''), _negated=True), ('score__isnull', False), _connector='OR'), name='civic_space_rating_has_rating_or_score'), models.CheckConstraint(condition=models.Q(('score__isnull', True), models.Q(('score__gte', 0), ('score__lte', 100)), _connector='OR'), name='civic_space_rating_score_0_100'), models.CheckConstraint(condition=models.Q(('year__gte', 1990), ('year__lte', 2100)), name='civic_space_rating_year_range')],
            },
        ),
        migrations.CreateModel(
            name='DialogueMechanism',
            fields=[
                *time_stamped_fields(),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('kind', models.CharField(choices=[('national', 'National participatory space'), ('bilateral', 'Bilateral dialogue'), ('multilateral', 'Multilateral mechanism')], max_length=16, verbose_name='kind')),
                ('year_started', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year started')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('source_citation', models.CharField(blank=True, max_length=500, verbose_name='source')),
                ('source_url', models.URLField(blank=True, verbose_name='source URL')),
                ('country', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dialogue_mechanisms', to='initiatives.country', verbose_name='country')),
            ],
            options={
                'verbose_name': 'dialogue mechanism',
                'verbose_name_plural': 'dialogue mechanisms',
                'ordering': ['country', 'name'],
                'constraints': [models.UniqueConstraint(fields=('country', 'name'), name='dialogue_mechanism_unique_name'), models.CheckConstraint(condition=models.Q(('year_started__isnull', True), models.Q(('year_started__gte', 1900), ('year_started__lte', 2100)), _connector='OR'), name='dialogue_mechanism_year_range')],
            },
        ),
        migrations.RunPython(load_reference_data, migrations.RunPython.noop),
    ]
