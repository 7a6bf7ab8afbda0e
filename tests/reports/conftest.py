import pytest


@pytest.fixture(autouse=True)
def report_files(settings, tmp_path):
    """Report files go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what a request queued after its transaction (tasks run in-process in tests)."""

    def run(fn):
        with django_capture_on_commit_callbacks(execute=True):
            return fn()

    return run
