import pytest
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings

from tests.factories import (
    ArticlePageFactory,
    HomePageFactory,
    PenNameFactory,
    PhotoFactory,
    SectionPageFactory,
)
from toasoan.core import breaker
from toasoan.delivery.pagecache import forget_worker_copies
from toasoan.frontpage.templatetags.frontpage import cards
from toasoan.newsroom.pictures import pictures
from toasoan.readership.counting import forget_memos

# Property tests check what is computed, not how fast: a loaded CI machine must not fail them
# on Hypothesis's per-example deadline (speed lives in `make bench`).
hypothesis_settings.register_profile("toasoan", deadline=None)
hypothesis_settings.load_profile("toasoan")


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own media folder and empty caches (Redis included)."""
    settings.MEDIA_ROOT = tmp_path / "media"
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
