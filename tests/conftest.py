import pytest
from django.core.cache import caches
from pytest_django.plugin import blocking_manager_key

from tests.factories import (
    ArticlePageFactory,
    HomePageFactory,
    PenNameFactory,
    PhotoFactory,
    SectionPageFactory,
)
from toasoan.delivery.pagecache import forget_worker_copies
from toasoan.frontpage.templatetags.frontpage import cards

FLUSHING = {"transactional_db", "live_server"}  # tests that end with a flush of the database


def _flushes(item) -> bool:
    marker = item.get_closest_marker("django_db")
    in_transactions = marker is not None and marker.kwargs.get("transaction")
    return bool(in_transactions or FLUSHING & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test in real transactions (a live server…) ends with a flush, which also takes the
    rows migrations made: locale, page-tree root, collections, permissions. Django runs such
    tests last; an xdist worker may run other files after one. So the rows are put back for
    the next test, as serialised when the test database was made (these tests ask for
    serialized rollback, which has pytest-django serialise it and restore them at their own
    start)."""
    yield
    if nextitem is None or not _flushes(item) or _flushes(nextitem):
        return
    from django.core.management import call_command
    from django.db import connections

    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:  # emptied once more: that flush may have re-created some of them
                call_command(
                    "flush",
                    interactive=False,
                    verbosity=0,
                    database=connection.alias,
                    inhibit_post_migrate=True,
                    reset_sequences=False,  # the rows come back with their own ids
                )
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own media folder and empty caches (Redis included)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for alias in ("default", "renditions"):
        caches[alias].clear()
    forget_worker_copies()
    cards.clear()  # keyed on story versions, which a frozen clock and a rolled-back id repeat
    yield
    for alias in ("default", "renditions"):
        caches[alias].clear()
    forget_worker_copies()


@pytest.fixture
def home(db):
    return HomePageFactory()


@pytest.fixture
def section(home):
    return SectionPageFactory(parent=home, title="Thời sự", slug="thoi-su")


@pytest.fixture
def pen_name(db):
    return PenNameFactory(name="V.A")


@pytest.fixture
def story(section, pen_name):
    return ArticlePageFactory(
        parent=section,
        title="Hoạt động thông tin đối ngoại có vai trò quan trọng thúc đẩy phát triển kinh tế",
        pen_names=[pen_name],
        cover_image=PhotoFactory(),
    )
