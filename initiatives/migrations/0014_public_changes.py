"""Which published initiatives changed, and when, instead of a counter that moves on any write.

The content version used to move on every write to a table the public lists read, a draft
included, and each web process then rebuilt its facet index from scratch. Now the triggers
note only changes a visitor can see: an initiative that is published, or was until this
change, or a row belonging to one. Each such statement takes the next content version and
logs the initiatives it touched in ``initiatives_public_change``; a process holding an index
at an older version reads the log and updates those initiatives alone. A row whose
``initiative_id`` is NULL means "anything may have changed" (a vocabulary was edited, a table
truncated): the index is rebuilt.

Writers that note a change take the lock on the version's row and keep it until they commit,
and only then draw the next number from the sequence, so versions are handed out in commit
order: a reader that sees version *n* has every change numbered up to *n* (a sequence alone
would not promise that), and a number is never reused, not even after a rollback. Drafts take
no lock at all.
``kept_from`` is the oldest version the log still holds (older rows are pruned); an index
older than that is rebuilt.
"""

from django.db import migrations

# Tables with an ``initiative_id`` column whose rows give published initiatives facet values.
CHILD_TABLES = [
    "initiatives_initiativecountry",
    "initiatives_participation",
    "initiatives_initiative_sectors",
    "initiatives_initiative_modalities",
    "funding_fundingcontribution",
    "principles_principleevidence",
]
# Vocabularies that name facet values: a change to one may rename or reorder every option.
VOCABULARY_TABLES = [
    "initiatives_sector",
    "initiatives_modality",
    "funding_fundingmodel",
    "principles_principle",
]
OLD_TABLES = [
    "initiatives_initiative",
    *CHILD_TABLES,
    "initiatives_actor",
    *VOCABULARY_TABLES,
]

FUNCTIONS = """
CREATE TABLE initiatives_public_change (
    id bigserial PRIMARY KEY,
    version bigint NOT NULL,
    initiative_id bigint NULL,
    changed_at timestamp with time zone NOT NULL DEFAULT now()
);
CREATE INDEX initiatives_public_change_version ON initiatives_public_change (version);
ALTER TABLE initiatives_content_version ADD COLUMN kept_from bigint NOT NULL DEFAULT 0;

-- Notes that the initiatives ``ids`` changed (a NULL among them: anything may have).
CREATE FUNCTION initiatives_note_public_change(ids bigint[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    next_version bigint;
BEGIN
    IF cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    -- Wait for any other writer to commit, then number this change after theirs.
    PERFORM 1 FROM initiatives_content_version WHERE id = 1 FOR UPDATE;
    next_version := nextval('initiatives_content_version_seq');
    UPDATE initiatives_content_version SET value = next_version WHERE id = 1;
    INSERT INTO initiatives_public_change (version, initiative_id)
        SELECT DISTINCT next_version, changed FROM unnest(ids) AS changed;
END
$$;

-- Initiatives: those published before or after the statement.
CREATE FUNCTION initiatives_initiative_public_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM initiatives_note_public_change(ARRAY(
            SELECT id FROM new_rows WHERE state = 'published'));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM initiatives_note_public_change(ARRAY(
            SELECT id FROM new_rows WHERE state = 'published'
            UNION SELECT id FROM old_rows WHERE state = 'published'));
    ELSE
        PERFORM initiatives_note_public_change(ARRAY(
            SELECT id FROM old_rows WHERE state = 'published'));
    END IF;
    RETURN NULL;
END
$$;

-- Rows of a published initiative (read after the statement: a row inserted with a
-- record that is being published is noted by the record's own change).
CREATE FUNCTION initiatives_row_public_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM initiatives_note_public_change(ARRAY(
            SELECT id FROM initiatives_initiative WHERE state = 'published'
            AND id IN (SELECT initiative_id FROM new_rows)));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM initiatives_note_public_change(ARRAY(
            SELECT id FROM initiatives_initiative WHERE state = 'published'
            AND id IN (SELECT initiative_id FROM new_rows
                       UNION SELECT initiative_id FROM old_rows)));
    ELSE
        PERFORM initiatives_note_public_change(ARRAY(
            SELECT id FROM initiatives_initiative WHERE state = 'published'
            AND id IN (SELECT initiative_id FROM old_rows)));
    END IF;
    RETURN NULL;
END
$$;

-- Organisations: only their type is a facet value; a new one takes part in nothing yet and
-- a deleted one's participations are deleted (and noted) with it.
CREATE FUNCTION initiatives_actor_public_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM initiatives_note_public_change(ARRAY(
        SELECT DISTINCT participation.initiative_id
        FROM new_rows
        JOIN old_rows ON old_rows.id = new_rows.id
        JOIN initiatives_participation AS participation ON participation.actor_id = new_rows.id
        JOIN initiatives_initiative AS initiative ON initiative.id = participation.initiative_id
        WHERE new_rows.actor_type IS DISTINCT FROM old_rows.actor_type
        AND initiative.state = 'published'));
    RETURN NULL;
END
$$;

CREATE FUNCTION initiatives_everything_public_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM initiatives_note_public_change(ARRAY[NULL::bigint]);
    RETURN NULL;
END
$$;
"""


def _row_triggers(table: str, function: str) -> str:
    """One trigger per kind of statement: a trigger with transition tables has one event."""
    return "".join(
        f"CREATE TRIGGER {table}_public_{event.lower()} AFTER {event} ON {table} "
        f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}();\n"
        for event, referencing in [
            ("INSERT", "NEW TABLE AS new_rows"),
            ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
            ("DELETE", "OLD TABLE AS old_rows"),
        ]
    )


def _everything_trigger(table: str, events: str) -> str:
    return (
        f"CREATE TRIGGER {table}_public_everything AFTER {events} ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION initiatives_everything_public_change();\n"
    )


CREATE = (
    "".join(f"DROP TRIGGER {table}_content_version ON {table};\n" for table in OLD_TABLES)
    + "DROP FUNCTION initiatives_bump_content_version();\n"
    + FUNCTIONS
    + _row_triggers("initiatives_initiative", "initiatives_initiative_public_change")
    + _everything_trigger("initiatives_initiative", "TRUNCATE")
    + "".join(
        _row_triggers(table, "initiatives_row_public_change")
        + _everything_trigger(table, "TRUNCATE")
        for table in CHILD_TABLES
    )
    + (
        "CREATE TRIGGER initiatives_actor_public_update AFTER UPDATE ON initiatives_actor "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION initiatives_actor_public_change();\n"
    )
    + _everything_trigger("initiatives_actor", "TRUNCATE")
    + "".join(
        _everything_trigger(table, "INSERT OR UPDATE OR DELETE OR TRUNCATE")
        for table in VOCABULARY_TABLES
    )
)

OLD_FUNCTION = """
CREATE FUNCTION initiatives_bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE initiatives_content_version
        SET value = nextval('initiatives_content_version_seq') WHERE id = 1;
    RETURN NULL;
END
$$;
"""

DROP = (
    "".join(
        f"DROP TRIGGER {table}_public_{event} ON {table};\n"
        for table in ["initiatives_initiative", *CHILD_TABLES]
        for event in ["insert", "update", "delete"]
    )
    + "DROP TRIGGER initiatives_actor_public_update ON initiatives_actor;\n"
    + "".join(
        f"DROP TRIGGER {table}_public_everything ON {table};\n"
        for table in ["initiatives_initiative", *CHILD_TABLES, "initiatives_actor"]
        + VOCABULARY_TABLES
    )
    + "DROP FUNCTION initiatives_initiative_public_change();\n"
    + "DROP FUNCTION initiatives_row_public_change();\n"
    + "DROP FUNCTION initiatives_actor_public_change();\n"
    + "DROP FUNCTION initiatives_everything_public_change();\n"
    + "DROP FUNCTION initiatives_note_public_change(bigint[]);\n"
    + "DROP TABLE initiatives_public_change;\n"
    + "ALTER TABLE initiatives_content_version DROP COLUMN kept_from;\n"
    + OLD_FUNCTION
    + "".join(
        f"CREATE TRIGGER {table}_content_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION initiatives_bump_content_version();\n"
        for table in OLD_TABLES
    )
)


class Migration(migrations.Migration):
    # Last of all, so that the data the other migrations move is not logged as news.
    dependencies = [
        ("initiatives", "0013_published_versions"),
        ("funding", "0004_contribution_date"),
        ("principles", "0004_partner_confirmation"),
        ("learning", "0004_listing_language"),
        ("opendata", "0001_initial"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
