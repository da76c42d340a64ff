"""What frames every page (site, menu, sections above a story, the masthead) is kept in the
worker across the publishing of a story, so the first reader of breaking news waits only for
the story's own parts; a change of the frame itself shows on the next page at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticlePageFactory, SectionPageFactory
from toasoan.core.models import PaperSettings

pytestmark = pytest.mark.django_db

FRAME_TABLES = ("wagtailcore_site", "wagtailcore_locale", "core_papersettings")


@pytest.fixture
def uncached(settings):
    """Every request renders (no whole-page cache): what the worker keeps is what is left."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "PageCacheMiddleware" not in m]


def _frame_queries(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    sql = [q["sql"] for q in queries.captured_queries]
    return html, [q for q in sql if any(f'FROM "{table}"' in q for table in FRAME_TABLES)]


def test_a_breaking_story_is_rendered_without_reading_the_frame_again(
    client, uncached, home, section
):
    SectionPageFactory(parent=home, title="Kinh tế")
    client.get(ArticlePageFactory(parent=section, title="Tin hôm qua").url)
    breaking = ArticlePageFactory(parent=section, title="Tin nóng: lũ quét ở Nam Trà My")
    breaking.save_revision().publish()

    html, frame = _frame_queries(client, breaking.url)
    assert "Tin nóng: lũ quét" in html and "Kinh tế" in html  # the menu, as before
    assert frame == []  # site, locale, paper settings: kept from the page before
    assert "Tin nóng: lũ quét" in client.get("/").content.decode()  # the home did move on


def test_a_section_renamed_shows_in_every_menu_at_once(client, uncached, home, section):
    economy = SectionPageFactory(parent=home, title="Kinh tế")
    story = ArticlePageFactory(parent=section, title="Giá lúa tăng")
    assert "Kinh tế" in client.get(story.url).content.decode()
    economy.title = "Kinh tế - Xã hội"
    economy.save_revision().publish()

    html, frame = _frame_queries(client, story.url)
    assert "Kinh tế - Xã hội" in html
    assert frame  # the frame was read again


def test_the_papers_name_changed_shows_on_the_next_story(client, uncached, home, section):
    story = ArticlePageFactory(parent=section, title="Giá lúa tăng")
    client.get(story.url)
    settings_row = PaperSettings.for_site(home.get_site())
    settings_row.name = "Báo Quảng Nam điện tử"
    settings_row.save()
    assert "Báo Quảng Nam điện tử" in client.get(story.url).content.decode()
