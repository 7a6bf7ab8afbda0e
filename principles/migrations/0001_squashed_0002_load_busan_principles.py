"""Principle sets, principles and the evidence recorded against them, and the Busan
principles (squashed from 0001-0002)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from principles.vocabularies import load_principle_set
from ssdc_portal.migration_operations import time_stamped_fields


def load(apps, schema_editor):
    load_principle_set(
        apps.get_model("principles", "PrincipleSet"), apps.get_model("principles", "Principle")
    )


class Migration(migrations.Migration):

    replaces = [('principles', '0001_initial'), ('principles', '0002_load_busan_principles')]

    initial = True

    dependencies = [
        ('initiatives', '0001_squashed_0004_search_vector_folds_accents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PrincipleSet',
            fields=[
                *time_stamped_fields(),
                ('slug', models.SlugField(unique=True, verbose_name='slug')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('url', models.URLField(blank=True, verbose_name='reference')),
            ],
            options={
                'verbose_name': 'principle set',
                'verbose_name_plural': 'principle sets',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Principle',
            fields=[
                *time_stamped_fields(),
                ('slug', models.SlugField(max_length=60, verbose_name='slug')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('short_name', models.CharField(max_length=60, verbose_name='short name')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('principle_set', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='principles', to='principles.principleset', verbose_name='set')),
            ],
            options={
                'verbose_name': 'principle',
                'verbose_name_plural': 'principles',
                'ordering': ['principle_set', 'position'],
            },
        ),
        migrations.CreateModel(
            name='PrincipleEvidence',
            fields=[
                *time_stamped_fields(),
                ('stance', models.CharField(choices=[('supports', 'Supports: the principle was practised'), ('challenges', 'Challenges: a gap or shortfall')], default='supports', max_length=12, verbose_name='stance')),
                ('strength', models.PositiveSmallIntegerField(choices=[(1, 'Claimed by the initiative'), (2, 'Documented in a source'), (3, 'Independently evaluated')], default=1, verbose_name='strength')),
                ('narrative', models.TextField(verbose_name='what happened')),
                ('quote', models.TextField(blank=True, verbose_name='quote')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed at')),
                ('confirmed_by_organisation', models.ForeignKey(blank=True, help_text='A second organisation of the initiative that attests this evidence.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='confirmed_evidence', to='initiatives.actor', verbose_name='confirmed by organisation')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='principle_evidence', to='initiatives.initiative', verbose_name='initiative')),
                ('principle', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='principles.principle', verbose_name='principle')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('recorded_by_organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='recorded_evidence', to='initiatives.actor', verbose_name='recorded by organisation')),
                ('source', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='principle_evidence', to='initiatives.source', verbose_name='source')),
            ],
            options={
                'verbose_name': 'principle evidence',
                'verbose_name_plural': 'principle evidence',
                'ordering': ['principle', '-strength'],
                'constraints': [models.UniqueConstraint(fields=('initiative', 'principle', 'source'), name='evidence_unique_per_source', nulls_distinct=False), models.CheckConstraint(condition=models.Q(('stance__in', ['supports', 'challenges'])), name='evidence_stance_valid'), models.CheckConstraint(condition=models.Q(('strength__in', [1, 2, 3])), name='evidence_strength_valid'), models.CheckConstraint(condition=models.Q(('narrative', ''), _negated=True), name='evidence_narrative_not_empty'), models.CheckConstraint(condition=models.Q(('confirmed_by_organisation__isnull', True), models.Q(('confirmed_by_organisation', models.F('recorded_by_organisation')), _negated=True), _connector='OR'), name='evidence_confirmed_by_another_organisation'), models.CheckConstraint(condition=models.Q(models.Q(('confirmed_at__isnull', True), ('confirmed_by_organisation__isnull', True)), models.Q(('confirmed_at__isnull', False), ('confirmed_by_organisation__isnull', False)), _connector='OR'), name='evidence_confirmation_has_date'), models.CheckConstraint(condition=models.Q(('strength__lt', 2), ('source__isnull', False), _connector='OR'), name='evidence_documented_needs_source')],
            },
        ),
        migrations.AddConstraint(
            model_name='principle',
            constraint=models.UniqueConstraint(fields=('principle_set', 'slug'), name='principle_unique_slug_in_set'),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
