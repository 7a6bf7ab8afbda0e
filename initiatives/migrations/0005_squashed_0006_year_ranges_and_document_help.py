"""A counter that moves whenever anything a list or a facet count shows may have changed.

Statement-level triggers bump it on every insert, update, delete or truncate of the tables
the public lists are built from, whoever writes (the portal, the admin, a script). Caches of
derived data (the facet index) keep the value they were built at and are rebuilt when it moves,
so every web process sees a change at its next request.

The years of an initiative and of a source are checked against their ranges in forms too, and
the document's help text no longer names a fixed size limit. (Squashed from 0005-0006.)
"""

import django.core.validators
import initiatives.uploads
from django.db import migrations, models

TABLES = [
    "initiatives_initiative",
    "initiatives_initiativecountry",
    "initiatives_participation",
    "initiatives_initiative_sectors",
    "initiatives_initiative_modalities",
    "initiatives_actor",
    "initiatives_sector",
    "initiatives_modality",
    "funding_fundingcontribution",
    "funding_fundingmodel",
    "principles_principleevidence",
    "principles_principle",
]

# The new value comes from a sequence, which never goes back, so a version number is never
# reused, not even after a rolled-back transaction.
CREATE = """
CREATE SEQUENCE initiatives_content_version_seq;
CREATE TABLE initiatives_content_version (
    id smallint PRIMARY KEY CHECK (id = 1),
    value bigint NOT NULL
);
INSERT INTO initiatives_content_version (id, value)
    VALUES (1, nextval('initiatives_content_version_seq'));
CREATE FUNCTION initiatives_bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE initiatives_content_version
        SET value = nextval('initiatives_content_version_seq') WHERE id = 1;
    RETURN NULL;
END
$$;
""" + "".join(
    f"CREATE TRIGGER {table}_content_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
    f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION initiatives_bump_content_version();\n"
    for table in TABLES
)

DROP = "".join(f"DROP TRIGGER {table}_content_version ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION initiatives_bump_content_version();\n"
    "DROP TABLE initiatives_content_version;\n"
    "DROP SEQUENCE initiatives_content_version_seq;\n"
)


class Migration(migrations.Migration):

    replaces = [('initiatives', '0005_content_version'), ('initiatives', '0006_year_ranges_and_document_help')]

    dependencies = [
        ('initiatives', '0001_squashed_0004_search_vector_folds_accents'),
        ('funding', '0001_squashed_0002_load_funding_models'),
        ('principles', '0001_squashed_0002_load_busan_principles'),
    ]

    operations = [
        migrations.RunSQL(CREATE, DROP),
        migrations.AlterField(
            model_name='initiative',
            name='end_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text='The year work ended, when the exact date is not known.', null=True, validators=[django.core.validators.MinValueValidator(1950), django.core.validators.MaxValueValidator(2100)], verbose_name='end year'),
        ),
        migrations.AlterField(
            model_name='initiative',
            name='start_year',
            field=models.PositiveSmallIntegerField(blank=True, help_text='The year work began, when the exact date is not known.', null=True, validators=[django.core.validators.MinValueValidator(1950), django.core.validators.MaxValueValidator(2100)], verbose_name='start year'),
        ),
        migrations.AlterField(
            model_name='source',
            name='document',
            field=models.FileField(blank=True, help_text="PDF, DOCX, ODT or an image (PNG, JPEG, WebP), within the portal's size limit.", upload_to='sources/%Y/%m/', validators=[django.core.validators.FileExtensionValidator(['pdf', 'docx', 'odt', 'png', 'jpg', 'jpeg', 'webp']), initiatives.uploads.DocumentValidator()], verbose_name='document'),
        ),
        migrations.AlterField(
            model_name='source',
            name='year',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1900), django.core.validators.MaxValueValidator(2100)], verbose_name='year'),
        ),
    ]
