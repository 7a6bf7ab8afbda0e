"""Databases of a test's own on the test server, read with plain SQL, and ``manage.py`` run
in another process as an operator would (for backup, restore and upgrade drills)."""

import gzip
import os
import subprocess
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.conf import settings
from django.db import connection
from psycopg import sql
from psycopg.conninfo import make_conninfo

from ssdc_portal.backups import find_client


def connect(dbname: str) -> psycopg.Connection:
    """A connection to ``dbname`` on the server the test database is on."""
    database = connection.settings_dict
    parameters = {key: database[key.upper()] for key in ("host", "port", "user", "password")}
    return psycopg.connect(
        dbname=dbname, autocommit=True, **{key: value for key, value in parameters.items() if value}
    )


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """An empty database named ``<prefix>_<random>`` for the block, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with connect("postgres") as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with connect("postgres") as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def row_counts(dbname: str) -> dict[str, int]:
    """The number of rows of every table of ``dbname``, by table name."""
    with connect(dbname) as database:
        tables = database.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
        return {
            table: database.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for (table,) in tables
        }


def manage_py(*arguments: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    """Run manage.py in a process of its own, with ``environment`` added to this one's."""
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=os.environ | environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def rows(dbname: str, table: str, only: list[str] | str = "*") -> list[str]:
    """Every row of ``table`` (or of the ``only`` columns named), as text, sorted."""
    record = (
        sql.SQL("t")
        if only == "*"
        else sql.SQL("ROW({})").format(sql.SQL(", ").join(map(sql.Identifier, only)))
    )
    query = sql.SQL("SELECT {}::text FROM {} t ORDER BY 1").format(record, sql.Identifier(table))
    with connect(dbname) as database:
        return [row for (row,) in database.execute(query)]


def columns(dbname: str, table: str) -> list[str]:
    """The columns of ``table``, in order."""
    with connect(dbname) as database:
        return [
            name
            for (name,) in database.execute(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
                [table],
            )
        ]


def select(dbname: str, table: str, column: str) -> list[tuple]:
    """The values of one column of ``table``."""
    query = sql.SQL("SELECT {} FROM {}").format(sql.Identifier(column), sql.Identifier(table))
    with connect(dbname) as database:
        return database.execute(query).fetchall()


def sql_statements(lines: Iterable[str]) -> str:
    """A plain-SQL dump without psql's own commands (``\\restrict``…), to run as it is."""
    return "".join(line for line in lines if not line.startswith("\\"))


def load_dump(dbname: str, dump: Path) -> None:
    """Run a gzipped plain-SQL dump (``pg_dump --inserts``) into ``dbname``."""
    with gzip.open(dump, "rt", encoding="utf-8") as lines, connect(dbname) as database:
        database.execute(sql_statements(lines))


def schema(dbname: str) -> list[str]:
    """What ``dbname`` is made of: each object ``pg_dump --schema-only`` writes (table,
    sequence, index, constraint, trigger, function…) as its SQL, sorted, so that the order
    in which they were made does not count.

    The schema is read back into a database of its own and written from there: PostgreSQL
    writes a check constraint it read from a dump otherwise than one ``migrate`` made
    (``ANY (ARRAY[('a'::character varying)::text])`` for
    ``ANY ((ARRAY['a'::character varying])::text[])``), and a database restored from a dump
    and then migrated holds both kinds. Read back once, both are written alike."""
    with scratch_database("ssdc_schema") as copy:
        with connect(copy) as database:
            database.execute(sql_statements(_schema_dump(dbname).splitlines(keepends=True)))
        dump = _schema_dump(copy)
    objects, lines = [], []
    for line in [*dump.splitlines(), "-- Name: (end)"]:
        if line.startswith("-- Name: "):
            objects.append("\n".join(lines))
            lines = []
        elif line.strip() and not line.startswith(("--", "\\")):
            lines.append(line)
    return sorted(objects)


def _schema_dump(dbname: str) -> str:
    """``pg_dump --schema-only`` of ``dbname``, by the pg_dump of the server's version."""
    database = connection.settings_dict
    with connect("postgres") as server:
        major = server.info.server_version // 10000
    target = {key: str(database[key.upper()] or "") for key in ("host", "port", "user")}
    password = {"PGPASSWORD": database["PASSWORD"]} if database["PASSWORD"] else {}
    environment = os.environ | password
    dumped = subprocess.run(
        [find_client("pg_dump", major), "--schema-only", "--no-owner", "--no-privileges"]
        + [f"--dbname={make_conninfo(dbname=dbname, **{k: v for k, v in target.items() if v})}"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dumped.stdout
