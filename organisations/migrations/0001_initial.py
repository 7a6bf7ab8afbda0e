"""Organisations (the initiatives app's ``Actor``) and network memberships move here. Only
Django's record of the models changes: the tables keep their names (``db_table``) and their
rows, and no SQL runs. The content types and permissions follow in initiatives' migration 0007.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reference', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are: only Django's record of the models moves.
            state_operations=[
                migrations.CreateModel(
                    name='NetworkMembership',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('joined_year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='joined in')),
                    ],
                    options={
                        'verbose_name': 'network membership',
                        'verbose_name_plural': 'network memberships',
                        'db_table': 'initiatives_networkmembership',
                    },
                ),
                migrations.CreateModel(
                    name='Organisation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('acronym', models.CharField(blank=True, max_length=30, verbose_name='acronym')),
                        ('slug', models.SlugField(max_length=120, unique=True, verbose_name='slug')),
                        ('actor_type', models.CharField(choices=[('national_ngo', 'National NGO'), ('community_based', 'Community-based organisation'), ('social_movement', 'Social movement'), ('faith_based', 'Faith-based organisation'), ('international_ngo', 'International NGO'), ('network', 'Network or alliance'), ('national_government', 'National government agency'), ('local_government', 'Local government'), ('private_sector', 'Private sector'), ('academic', 'Academic or research institution'), ('multilateral', 'Multilateral organisation'), ('foundation', 'Foundation'), ('traditional_donor', 'Traditional donor agency')], max_length=32, verbose_name='type')),
                        ('iati_identifier', models.CharField(blank=True, help_text='As registered with IATI, e.g. BR-CNPJ-00000000000000.', max_length=100, verbose_name='IATI organisation identifier')),
                        ('website', models.URLField(blank=True, verbose_name='website')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('home_country', models.ForeignKey(blank=True, help_text='Leave empty for multilateral or global organisations.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='organisations', to='reference.country', verbose_name='home country')),
                        ('networks', models.ManyToManyField(blank=True, related_name='members', through='organisations.NetworkMembership', through_fields=('member', 'network'), to='organisations.organisation', verbose_name='networks')),
                    ],
                    options={
                        'verbose_name': 'organisation',
                        'verbose_name_plural': 'organisations',
                        'db_table': 'initiatives_actor',
                        'ordering': ['name'],
                    },
                ),
                migrations.AddField(
                    model_name='networkmembership',
                    name='member',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='network_links', to='organisations.organisation', verbose_name='member'),
                ),
                migrations.AddField(
                    model_name='networkmembership',
                    name='network',
                    field=models.ForeignKey(limit_choices_to={'actor_type': 'network'}, on_delete=django.db.models.deletion.CASCADE, related_name='member_links', to='organisations.organisation', verbose_name='network'),
                ),
                migrations.AddConstraint(
                    model_name='organisation',
                    constraint=models.CheckConstraint(condition=models.Q(('actor_type__in', ['national_ngo', 'community_based', 'social_movement', 'faith_based', 'international_ngo', 'network', 'national_government', 'local_government', 'private_sector', 'academic', 'multilateral', 'foundation', 'traditional_donor'])), name='actor_type_valid'),
                ),
                migrations.AddConstraint(
                    model_name='organisation',
                    constraint=models.UniqueConstraint(condition=models.Q(('iati_identifier', ''), _negated=True), fields=('iati_identifier',), name='actor_unique_iati_identifier'),
                ),
                migrations.AddConstraint(
                    model_name='organisation',
                    constraint=models.CheckConstraint(condition=models.Q(('name', ''), _negated=True), name='actor_name_not_empty'),
                ),
                migrations.AddConstraint(
                    model_name='networkmembership',
                    constraint=models.UniqueConstraint(fields=('member', 'network'), name='network_membership_unique'),
                ),
                migrations.AddConstraint(
                    model_name='networkmembership',
                    constraint=models.CheckConstraint(condition=models.Q(('member', models.F('network')), _negated=True), name='network_membership_not_self'),
                ),
            ],
        ),
    ]
