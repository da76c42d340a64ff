import pytest
from django.core.cache import caches

from tests.factories import (
    ArticlePageFactory,
    HomePageFactory,
    PenNameFactory,
    PhotoFactory,
    SectionPageFactory,
)
from toasoan.delivery.pagecache import forget_worker_copies
from toasoan.frontpage.templatetags.frontpage import cards


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


@pytest.fixture(autouse=True)
def _wagtail_base_rows(request):
    """The locale, page-tree root and root collection Wagtail's migrations make. A test on a
    live server ends with a flush that takes them along; Django runs such tests last, but an
    xdist worker may run another file after one. Made again (inside the test's transaction)
    when missing."""
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or "db" in request.fixturenames
    if not uses_db or transactional or (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("db")
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=locale)
    )
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    yield


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
