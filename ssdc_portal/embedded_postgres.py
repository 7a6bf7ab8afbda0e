"""Start the PostgreSQL server that ships in the ``pgserver`` wheel when no DATABASE_URL is set.

A newcomer then needs nothing installed: the server's data lives under ``.data/`` and is
reused across runs; it stops when the last process that started it exits. It is a real
PostgreSQL 16 but has no contrib extensions, so the portal only uses core features.
"""

import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

DATABASE_NAME = "ssdc_portal"


def database_settings(data_dir: Path) -> dict:
    """Return a Django DATABASES entry for the embedded server, starting it if needed."""
    import psycopg

    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # pgserver keeps its lock file in a per-user runtime folder; /tmp is fine for that.
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(data_dir, cleanup_mode="stop")
    socket_dir = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres") as connection:
        connection.autocommit = True
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
    }
