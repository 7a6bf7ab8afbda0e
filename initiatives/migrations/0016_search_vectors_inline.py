"""Search vectors are kept in the initiatives' own rows rather than in the TOAST table.

Most vectors are one or two kilobytes; PostgreSQL moved the larger ones out of line, so a
search for a common word fetched and copied one out-of-line value per record for the match,
again for the title match and again for the rank: most of the half second such a search
took at 100,000 records. With ``STORAGE MAIN`` a vector stays in its row (compressed there
when the row is large) and goes out of line only when the row could not fit in a page
otherwise. The setting applies to values written from now on, so the existing vectors are
written again: the same vectors, through their text form, with the triggers that note public
changes (``0014_public_changes``) held off, since no visitor can see a difference.
"""

from django.db import migrations

FORWARD = """
ALTER TABLE initiatives_initiative ALTER COLUMN search_vector SET STORAGE MAIN;
ALTER TABLE initiatives_initiative DISABLE TRIGGER USER;
UPDATE initiatives_initiative SET search_vector = search_vector::text::tsvector
WHERE search_vector IS NOT NULL;
ALTER TABLE initiatives_initiative ENABLE TRIGGER USER;
"""

BACKWARD = "ALTER TABLE initiatives_initiative ALTER COLUMN search_vector SET STORAGE EXTENDED;"


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0015_lessons_are_public_changes")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
