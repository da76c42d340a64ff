import os
import time
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings

from tests import migrated
from tests.factories import (
    ArticlePageFactory,
    HomePageFactory,
    PenNameFactory,
    PhotoFactory,
    SectionPageFactory,
)
from toasoan.core import breaker, ratelimit
from toasoan.delivery.pagecache import forget_worker_copies
from toasoan.frontpage.templatetags.frontpage import cards
from toasoan.newsroom.pictures import pictures
from toasoan.readership.counting import forget_memos

# Property tests check what is computed, not how fast: a loaded CI machine must not fail them
# on Hypothesis's per-example deadline (speed lives in `make bench`).
hypothesis_settings.register_profile("toasoan", deadline=None)
hypothesis_settings.load_profile("toasoan")


# The files that take longest (junit times on this machine), started first: xdist hands out
# whole files (--dist loadfile --no-loadscope-reorder), and one of these left for the end
# (its default order puts files with few tests last) keeps a worker busy minutes after the
# other has finished. The rest keep their order.
LONGEST_FIRST = (
    "tests/operations/test_faults.py",  # its own PostgreSQL, Redis and gunicorn
    "tests/demo/test_demo.py",  # the demo paper loaded in full, twice
    "tests/e2e/test_walks.py",
    "tests/e2e/test_print_edition.py",
    "tests/e2e/test_reader_daily.py",
    "tests/e2e/",
    "tests/accounts/test_two_factor_browser.py",
    "tests/api/test_api.py",
    "tests/search/test_search.py",
    "tests/ingest/test_wxr_memory.py",
    "tests/newsroom/test_editorial_safety.py",
    "tests/newsroom/test_workflow.py",
    "tests/royalties/test_admin.py",
    "tests/comments/test_comments_xss.py",
    "tests/frontpage/test_article_page.py",
    "tests/delivery/",
)


@pytest.hookimpl(trylast=True)  # after pytest-django's db-use order (nothing flushes here)
def pytest_collection_modifyitems(items):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return  # one process (the flushing tests): the order given on the command line

    def rank(item) -> int:
        path = item.nodeid.split("::")[0]
        return next(
            (n for n, prefix in enumerate(LONGEST_FIRST) if path.startswith(prefix)),
            len(LONGEST_FIRST),
        )

    items.sort(key=rank)  # stable: each file's tests stay together and in order


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own media folder and empty caches (Redis included)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # A PBKDF2 hash costs ~0.7 s of CPU by design, and a newsroom of ten people is set up for
    # many tests: the suite's own accounts use a fast hasher (the demo server keeps the real one).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    breaker.redis.reset()  # a test that met a dead Redis leaves no open breaker behind
    breaker.database.reset()
    for alias in ("default", "renditions"):
        caches[alias].clear()
    forget_worker_copies()
    cards.clear()  # keyed on story versions, which a frozen clock and a rolled-back id repeat
    pictures.clear()  # keyed on photo ids and files, which rolled-back tests repeat
    forget_memos()  # stories by id (repeated too) and the day's salt (a database's own)
    yield
    breaker.redis.reset()
    breaker.database.reset()
    for alias in ("default", "renditions"):
        caches[alias].clear()
    forget_worker_copies()


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_modify_db_settings,
    tmp_path_factory,
):
    """pytest-django's (each xdist worker its own database), but starting from the run's
    migrated copy (tests/migrated.py)."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        made = migrated.setup(
            setup_databases,
            tmp_path_factory.mktemp("database"),
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=aliases,
            serialized_aliases=serialized_aliases,
        )
    yield
    with django_db_blocker.unblock():
        teardown_databases(made, verbosity=request.config.option.verbose)


@pytest.fixture
def one_rate_window(monkeypatch):
    """The test's requests all fall in one fixed rate-limit window: a test that crossed a
    minute boundary would see its count start again (hours, 10 and 1 minutes all fit)."""
    now = time.time()
    pinned = now - now % 3600 + 1
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: pinned))


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
