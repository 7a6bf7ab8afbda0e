import pytest

from tests.factories import MembershipFactory, ModeratorFactory, UserFactory


@pytest.fixture
def editor(db):
    """A user who edits for one organisation (``editor.memberships.get().organisation``)."""
    return MembershipFactory().user


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


@pytest.fixture
def researcher(db):
    return UserFactory()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Tests render templates without running collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
