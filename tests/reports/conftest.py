import os
import uuid
from urllib.parse import urlsplit

import pytest
import redis

from tests.celery_workers import (
    CuttableLink,
    RedisServer,
    Worker,
    app,
    broker_is_up,
    configure_celery,
)
from tests.test_api_fuzz import url_of_the_test_database

# The machine's Redis, on a database of the tests' own; each test uses a queue of its own.
BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture(autouse=True)
def report_files(settings, tmp_path):
    """Report files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def worker_tests_cannot_run(reason: str) -> None:
    """Skip a test that needs Redis or a worker here; in CI (REQUIRE_WORKER) fail it."""
    if os.environ.get("REQUIRE_WORKER"):
        pytest.fail(f"{reason}, and REQUIRE_WORKER is set")
    pytest.skip(f"{reason} (CI runs these tests)")


@pytest.fixture
def make_worker(reference_data, report_files, tmp_path):
    """``make_worker(**options)`` → a :class:`Worker` (not started) on this test's database,
    its own queue and, unless ``broker`` says otherwise, the machine's Redis. Tasks sent from
    this process go to the last worker's broker and queue; every worker is stopped at the
    end and its log printed in CI."""
    queue = f"reports-test-{uuid.uuid4().hex[:10]}"
    saved = {
        key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_default_queue")
    }
    workers: list[Worker] = []

    def make(*, broker: str = BROKER, **options) -> Worker:
        if not broker_is_up(broker):
            worker_tests_cannot_run(f"no Redis at {broker}")
        options.setdefault("database_url", url_of_the_test_database())
        worker = Worker(
            broker=broker,
            queue=queue,
            media=report_files,
            log=tmp_path / f"worker-{len(workers)}.log",
            **options,
        )
        configure_celery(broker_url=broker, task_always_eager=False, task_default_queue=queue)
        workers.append(worker)
        return worker

    try:
        yield make
    finally:
        for worker in workers:
            worker.stop()
        configure_celery(**saved)
        for worker in workers:
            if broker_is_up(worker.environment["CELERY_BROKER_URL"]):
                redis.Redis.from_url(worker.environment["CELERY_BROKER_URL"]).delete(queue)
            if os.environ.get("CI") and worker.log.exists():
                print(worker.log.read_text()[-4000:])


@pytest.fixture
def worker(make_worker):
    """A worker (not started) on the machine's Redis, as in production."""
    return make_worker()


@pytest.fixture
def private_redis(tmp_path):
    """A ``redis-server`` of this test's own, without persistence, that it may restart."""
    server = RedisServer(tmp_path / "redis.log")
    try:
        server.start()
    except FileNotFoundError:
        worker_tests_cannot_run("redis-server is not installed")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def database_link(transactional_db):
    """A link to the test database that this test may cut and restore; a worker started
    with ``database_url=database_link.routed(url_of_the_test_database())`` goes through it."""
    database = urlsplit(url_of_the_test_database())
    if not database.hostname:
        worker_tests_cannot_run("the test database is reached through a socket, not TCP")
    link = CuttableLink(database.hostname, database.port or 5432)
    try:
        yield link
    finally:
        link.close()
