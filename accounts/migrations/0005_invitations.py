"""Invitations to organisations' teams."""

import django.db.models.deletion
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_api_tokens'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('initiatives', '0006_year_ranges_and_document_help'),
    ]

    operations = [
        migrations.CreateModel(
            name='Invitation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('email', models.EmailField(max_length=254, verbose_name='e-mail address')),
                ('role', models.CharField(choices=[('editor', 'Editor'), ('manager', 'Manager')], default='editor', max_length=16, verbose_name='role')),
                ('state', models.CharField(choices=[('pending', 'Waiting for an answer'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('revoked', 'Withdrawn')], default='pending', max_length=16, verbose_name='state')),
                ('expires_at', models.DateTimeField(verbose_name='expires')),
                ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                ('answered_by', models.ForeignKey(blank=True, help_text='The account that accepted or declined; empty if declined signed out.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                ('invited_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='invited by')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='initiatives.actor', verbose_name='organisation')),
            ],
            options={
                'verbose_name': 'invitation',
                'verbose_name_plural': 'invitations',
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('email'), models.F('organisation'), condition=models.Q(('state', 'pending')), name='invitation_one_open_per_address_and_organisation'), models.CheckConstraint(condition=models.Q(('role__in', ['editor', 'manager'])), name='invitation_role_valid'), models.CheckConstraint(condition=models.Q(('state__in', ['pending', 'accepted', 'declined', 'revoked'])), name='invitation_state_valid')],
            },
        ),
    ]
