from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from tests.factories import ArticlePageFactory, FeaturedSlotFactory, SectionPageFactory
from toasoan.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_home_shows_featured_in_editor_order_until_their_end_time(client, home, section):
    first = ArticlePageFactory(parent=section, title="Bài nổi bật thứ nhất")
    second = ArticlePageFactory(parent=section, title="Bài nổi bật thứ hai")
    expired = ArticlePageFactory(parent=section, title="Bài đã hết hạn nổi bật")
    FeaturedSlotFactory(home=home, article=second, sort_order=0)
    FeaturedSlotFactory(home=home, article=first, sort_order=1)
    FeaturedSlotFactory(
        home=home, article=expired, sort_order=2, ends_at=timezone.now() - timedelta(minutes=1)
    )
    html = client.get("/").content.decode()
    featured = html.split('id="noi-bat"')[1].split('id="moi-nhat"')[0]
    assert featured.index("thứ hai") < featured.index("thứ nhất")
    assert "hết hạn" not in featured
    assert "Bài đã hết hạn nổi bật" in html.split('id="moi-nhat"')[1]  # still in the stream


def test_featured_story_leaves_the_home_when_its_slot_ends_without_any_publish(
    client, settings, home, section
):
    """The home's statement is kept between publishes; the slot's end still counts (here
    without the whole-page cache, which keeps the page a few minutes at most)."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "PageCacheMiddleware" not in m]
    story = ArticlePageFactory(parent=section, title="Bài nổi bật đến trưa")
    FeaturedSlotFactory(home=home, article=story, ends_at=timezone.now() + timedelta(minutes=5))
    html = client.get("/").content.decode()
    assert "đến trưa" in html.split('id="noi-bat"')[1].split('id="moi-nhat"')[0]
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        html = client.get("/").content.decode()
    assert "đến trưa" not in html.split('id="noi-bat"')[1].split('id="moi-nhat"')[0]
    assert "đến trưa" in html.split('id="moi-nhat"')[1]  # still in the latest stream


def test_drafts_and_unpublished_stories_never_listed(client, home, section):
    topics = ["Hội An"]
    ArticlePageFactory(parent=section, title="Tin đã đăng về Hội An", topics=topics)
    ArticlePageFactory(parent=section, title="Bản nháp bí mật", live=False, topics=topics)
    gone = ArticlePageFactory(parent=section, title="Bài đã gỡ khỏi báo", topics=topics)
    gone.unpublish()
    for url in ("/", section.url, "/chu-de/hoi-an/"):
        html = client.get(url).content.decode()
        assert "Tin đã đăng về Hội An" in html, url
        assert "Bản nháp bí mật" not in html and "Bài đã gỡ" not in html, url


def test_section_lists_its_subsections_stories_newest_first(client, home, section):
    sub = SectionPageFactory(parent=section, title="Giáo dục", slug="giao-duc")
    older = ArticlePageFactory(
        parent=section, title="Tin cũ hơn", first_published_at=timezone.now() - timedelta(days=2)
    )
    newer = ArticlePageFactory(parent=sub, title="Tin mới của tiểu mục")
    html = client.get("/thoi-su/").content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert 'href="/thoi-su/giao-duc/"' in html


def test_section_pagination_and_bad_page_numbers(client, settings, section):
    settings.TOASOAN = {**settings.TOASOAN, "PAGE_SIZE": 2}
    for n in range(5):
        ArticlePageFactory(parent=section, title=f"Tin phân trang {n}")
    assert client.get("/thoi-su/?page=3").status_code == 200
    assert 'rel="next"' in client.get("/thoi-su/?page=1").content.decode()
    for bad in ("4", "0", "-1", "abc", "1.5", "9" * 30, "%00"):
        assert client.get(f"/thoi-su/?page={bad}").status_code == 404, bad


def test_topic_and_pen_name_pages(client, section, pen_name):
    story = ArticlePageFactory(
        parent=section, title="Đêm rằm phố Hội", topics=["Đà Nẵng", "Hội An"], pen_names=[pen_name]
    )
    topic_html = client.get("/chu-de/da-nang/").content.decode()
    assert "Chủ đề: Đà Nẵng" in topic_html and story.title in topic_html
    pen_html = client.get(f"/tac-gia/{pen_name.slug}/").content.decode()
    assert story.title in pen_html
    assert client.get("/chu-de/khong-co/").status_code == 404
    assert client.get("/chu-de/da-nang/?page=2").status_code == 404
    article_html = client.get(story.url).content.decode()
    assert 'href="/chu-de/da-nang/"' in article_html


def test_menu_follows_published_sections(client, home, section):
    assert 'href="/thoi-su/"' in client.get("/").content.decode()
    SectionPageFactory(parent=home, title="Thể thao", slug="the-thao")
    assert 'href="/the-thao/"' in client.get("/").content.decode()


def test_rails_on_article_page(client, home, section, story):
    top = ArticlePageFactory(parent=section, title="Bài được chọn nổi bật")
    FeaturedSlotFactory(home=home, article=top, sort_order=0)
    html = client.get(story.url).content.decode()
    rails = html.split('class="rails"')[1]
    assert "Nổi bật" in rails and "Bài được chọn nổi bật" in rails
    assert "Mới nhất" in rails
    assert story.title not in rails


def test_seo_404_page_is_vietnamese(client, home):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@override_settings(DEBUG=True)
def test_readers_get_the_papers_404_page_with_debug_on(client, home):
    """`make run` has DEBUG on: a reader's wrong address still gets the paper's page, in
    Vietnamese, not Django's English page listing every address pattern of the site."""
    for address in ("/khong-co-trang-nay/", "/bai-cu.php"):  # a page path; no path at all
        response = client.get(address)
        assert response.status_code == 404
        page = response.content.decode()
        assert "Không tìm thấy trang" in page and '<html lang="vi">' in page, address
        assert "URLconf" not in page


def test_article_kinds_are_labelled(client, section):
    story = ArticlePageFactory(parent=section, title="Phóng sự vùng cao", kind="phong-su")
    assert ArticlePage.objects.get(pk=story.pk).get_kind_display() == "Phóng sự"
    assert ">Phóng sự</p>" in client.get(story.url).content.decode()


def test_home_blocks_follow_renamed_and_moved_stories(client, home, section):
    """Section blocks show each section's newest five; a story's card follows its new
    title and its new section's address (cards are kept per story version)."""
    economy = SectionPageFactory(parent=home, title="Kinh tế", slug="kinh-te")
    stories = [
        ArticlePageFactory(
            parent=section,
            title=f"Tin thời sự số {n}",
            first_published_at=timezone.now() - timedelta(hours=n),
        )
        for n in range(7)
    ]
    html = client.get("/").content.decode()
    block = html.split(f'id="sb-{section.pk}"')[1].split("</section>")[0]
    assert [f"số {n}<" in block for n in range(7)] == [True] * 5 + [False] * 2
    assert f'id="sb-{economy.pk}"' not in html  # no stories: no block

    newest = ArticlePage.objects.get(pk=stories[0].pk)
    newest.title = "Tin thời sự đã sửa tên"
    newest.save_revision().publish()
    old_url = ArticlePage.objects.get(pk=stories[1].pk).url
    stories[1].move(economy, pos="last-child")
    html = client.get("/").content.decode()
    assert "Tin thời sự đã sửa tên" in html and "Tin thời sự số 0<" not in html
    moved = ArticlePage.objects.get(pk=stories[1].pk)
    economy_block = html.split(f'id="sb-{economy.pk}"')[1].split("</section>")[0]
    assert moved.url.startswith("/kinh-te/") and moved.url in economy_block
    latest = html.split('id="moi-nhat"')[1].split("</section>")[0]
    assert moved.url in latest and old_url not in html  # the latest stream's card too


def test_home_is_read_once_per_content_change_and_a_new_story_shows_at_once(
    client, settings, home, section
):
    """Uncached home renders between two publishes ask the database nothing: the home's
    stories are kept in the worker; a publish shows the new story on the next render."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "PageCacheMiddleware" not in m]
    ArticlePageFactory(parent=section, title="Tin đầu tiên trên trang chủ")
    assert "Tin đầu tiên" in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert "Tin đầu tiên" in client.get("/").content.decode()
    assert not [q for q in queries.captured_queries if "featured" in q["sql"].lower()]
    fresh = ArticlePageFactory(parent=section, title="Tin vừa đăng")
    fresh.save_revision().publish()
    assert "Tin vừa đăng" in client.get("/").content.decode()
