"""The OpenAPI document holds: schemathesis fuzzes every operation of the API against the
portal served by gunicorn (as in production) and finds no server error and no answer that
the document does not describe."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

BIN = Path(sys.executable).parent
SCHEMATHESIS = shutil.which("schemathesis", path=str(BIN))
GUNICORN = shutil.which("gunicorn", path=str(BIN))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def url_of_the_test_database() -> str:
    """The test database, as a URL another process can use (socket paths included)."""
    db = connection.settings_dict
    if (db["HOST"] or "").startswith("/"):  # the embedded server listens on a socket
        return f"postgres://{db['USER']}@/{db['NAME']}?host={quote(db['HOST'])}"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{db['USER']}@{db['HOST']}{port}/{db['NAME']}"


@pytest.fixture
def served_portal(reference_data, tmp_path):
    from devtools.demo import demo_load

    demo_load()
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": url_of_the_test_database(),
        "DEBUG": "True",  # static files without collectstatic; errors still in the JSON body
        "SECRET_KEY": "fuzzing-only",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CELERY_BROKER_URL": "",
        # The fuzzer is one client sending many requests; throttling would hide the answers.
        "API_ANON_RATE": "1000000/minute",
        "API_USER_RATE": "1000000/minute",
    }
    server = subprocess.Popen(  # noqa: S603 — our own server
        [GUNICORN, "ssdc_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=environment,
        cwd=Path(__file__).resolve().parent.parent,
        stdout=(tmp_path / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/api/v1/", timeout=2)  # noqa: S310 — loopback
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not (SCHEMATHESIS and GUNICORN), reason="schemathesis or gunicorn missing")
def test_schemathesis_finds_nothing(served_portal, tmp_path):
    result = subprocess.run(  # noqa: S603 — our own tool and arguments
        [
            SCHEMATHESIS,
            "run",
            f"{served_portal}/api/schema/",
            "--url",
            served_portal,
            "--checks",
            "all",
            "--max-examples",
            "15",
            "--seed",
            "20261128",
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
