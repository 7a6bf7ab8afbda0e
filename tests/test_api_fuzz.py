"""The OpenAPI document holds: schemathesis fuzzes every operation of the API against a live
server and finds no server error and no response that breaks the document."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.throttling import SimpleRateThrottle

SCHEMATHESIS = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which(
    "schemathesis"
)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not SCHEMATHESIS, reason="schemathesis is not installed")
def test_schemathesis_finds_nothing(live_server, reference_data, monkeypatch, tmp_path):
    from initiatives.demo import demo_load

    demo_load()
    # The fuzzer is one client sending many requests; throttling would hide the answers.
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "1000000/minute")
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "user", "1000000/minute")
    result = subprocess.run(  # noqa: S603 — our own tool and arguments
        [
            SCHEMATHESIS,
            "run",
            f"{live_server.url}/api/schema/",
            "--url",
            live_server.url,
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
