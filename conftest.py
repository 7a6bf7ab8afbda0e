import pytest
from django.core.cache import cache
from django.utils import translation

from tests.factories import MembershipFactory, ModeratorFactory, UserFactory, load_reference_data


@pytest.fixture
def editor(db):
    """A user who edits for one organisation (``editor.memberships.get().organisation``)."""
    return MembershipFactory().user


@pytest.fixture
def organisation(editor):
    """The organisation ``editor`` edits for."""
    return editor.memberships.get().organisation


@pytest.fixture
def signed_in(client, editor):
    """The test client, signed in as ``editor``."""
    client.force_login(editor)
    return client


@pytest.fixture
def sign_in_editor(client, db):
    """``sign_in_editor(organisation)`` signs the test client in as a new editor of
    ``organisation`` (without one: of an organisation of their own) and returns that user."""

    def sign_in(organisation=None):
        fields = {} if organisation is None else {"organisation": organisation}
        user = MembershipFactory(**fields).user
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


@pytest.fixture
def moderator_client(client, moderator):
    """The test client, signed in as ``moderator``."""
    client.force_login(moderator)
    return client


@pytest.fixture
def researcher(db):
    return UserFactory()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Tests render templates without running collectstatic first, and hash passwords
    quickly (the real hasher is slow on purpose)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # throttling counters and cached pages start empty in every test
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request activates its language in the test's thread and leaves it there, where it
    would change what ``reverse`` gives the next test; each test ends back in English."""
    yield
    translation.deactivate()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what a request queued after its transaction (tasks run in-process in tests)."""

    def run(fn):
        with django_capture_on_commit_callbacks(execute=True):
            return fn()

    return run


@pytest.fixture
def count_queries():
    """``count_queries(fn)`` runs ``fn`` and returns how many SQL queries it made."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(fn) -> int:
        with CaptureQueriesContext(connection) as captured:
            fn()
        return len(captured)

    return count


@pytest.fixture
def reference_data(transactional_db):
    """Browser tests commit their data, and Django empties every table after each one; put
    back what the migrations load."""
    load_reference_data()
