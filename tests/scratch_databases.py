"""Databases of a test's own on the test server, read with plain SQL, and ``manage.py`` run
in another process as an operator would (for backup, restore and upgrade drills)."""

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.db import connection
from psycopg import sql


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
