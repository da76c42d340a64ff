"""Whole anonymous pages from the shared cache, and never a stale or a staff copy."""

import pytest
from django.contrib.auth import get_user_model

from toasoan.comments import moderation
from toasoan.comments.models import Comment, Status
from toasoan.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db

NEW_TITLE = "Quảng Nam khởi công cao tốc nối cảng Kỳ Hà"


def _get(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, response.content.decode()


def test_anonymous_page_is_stored_once_and_then_served_from_the_cache(client, story):
    url = story.url
    first, html = _get(client, url)
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    # A change that bypasses publishing (and so the generation) stays invisible: proof the
    # second answer is the stored copy, not a new render.
    ArticlePage.objects.filter(pk=story.pk).update(title="Tiêu đề không qua xuất bản")
    second, again = _get(client, url)
    assert second["X-Cache"] == "HIT"
    assert again == html and "Tiêu đề không qua xuất bản" not in again
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"].startswith("public, max-age=0, must-revalidate")
    assert "s-maxage=" in second["Cache-Control"]


def test_if_none_match_gets_304_without_body(client, story):
    etag = client.get(story.url)["ETag"]
    for _ in range(2):  # a stored copy, then the cached one
        response = client.get(story.url, headers={"If-None-Match": etag})
        assert response.status_code == 304 and response.content == b""
        assert response["ETag"] == etag
    other = client.get(story.url, headers={"If-None-Match": '"khac"'})
    assert other.status_code == 200 and story.title in other.content.decode()


def _warm(client, urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT", url


def test_publish_update_and_unpublish_refresh_story_section_home_feeds_and_sitemaps(
    client, home, section, story
):
    story_url = story.url
    listings = [section.url, "/", "/rss/thoi-su.rss", "/rss/tin-moi-nhat.rss", "/sitemap-news.xml"]
    _warm(client, [story_url, *listings])

    revision = story.save_revision()
    page = revision.as_object()
    page.title = NEW_TITLE
    page.save_revision().publish()
    old_url, story_url = story_url, ArticlePage.objects.get(pk=story.pk).url
    assert client.get(old_url)["Location"] == story_url  # the slug follows the title
    assert NEW_TITLE in client.get(story_url).content.decode()
    for url in listings:
        assert NEW_TITLE in client.get(url).content.decode(), url
    sitemap = client.get("/sitemap-bai-viet.xml").content.decode()
    assert str(story.pk) in sitemap

    _warm(client, [story_url, *listings, "/sitemap-bai-viet.xml"])
    ArticlePage.objects.get(pk=story.pk).unpublish()
    assert client.get(story_url).status_code == 404
    for url in [*listings, "/sitemap-bai-viet.xml"]:
        body = client.get(url).content.decode()
        assert NEW_TITLE not in body and f"-{story.pk}.html" not in body, url


def _editor():
    return get_user_model().objects.create_superuser(
        "bientap-thu", "bt@toasoan.test", "mat-khau-bien-tap-123"
    )


def test_signed_in_editor_never_gets_the_anonymous_copy_nor_leaves_one(client, story):
    anonymous, html = _get(client, story.url)
    assert "wagtail-userbar" not in html

    client.force_login(_editor())
    staff, staff_html = _get(client, story.url)
    assert "wagtail-userbar" in staff_html
    assert staff["Cache-Control"] == "private, no-cache"
    assert "X-Cache" not in staff and "ETag" not in staff
    # Even the reader's validator gets the staff page, not a 304 from the anonymous copy.
    revalidated = client.get(story.url, headers={"If-None-Match": anonymous["ETag"]})
    assert revalidated.status_code == 200 and "wagtail-userbar" in revalidated.content.decode()


def test_anonymous_reader_never_gets_a_staff_copy(client, story):
    from django.test import Client

    client.force_login(_editor())
    assert "wagtail-userbar" in client.get(story.url).content.decode()  # staff first
    reader = Client()
    for expected in ("MISS", "HIT"):
        response, html = _get(reader, story.url)
        assert response["X-Cache"] == expected and "wagtail-userbar" not in html


def test_comment_approval_refreshes_the_comment_count_at_once(client, story):
    assert "(0)" in client.get(story.url).content.decode()
    assert client.get(story.url)["X-Cache"] == "HIT"
    comment = Comment.objects.create(article=story, name="An", email="an@x.vn", text="Hay quá")
    assert "(0)" in client.get(story.url).content.decode()  # held for moderation: unchanged
    moderation.moderate([comment], Status.APPROVED)
    html = client.get(story.url).content.decode()
    assert "(1)" in html and "Hay quá" in html


def test_what_is_never_cached(client, story):
    # Staff, search, API, never_cache endpoints, posts and sessions go straight to the app.
    for url in ("/admin/login/", "/search/?q=kinh+te", "/api/", "/binh-luan/phien/"):
        for _ in range(2):
            assert "X-Cache" not in client.get(url), url
    client.cookies["sessionid"] = "khong-hop-le"
    response = client.get(story.url)
    assert "X-Cache" not in response and response["Cache-Control"] == "private, no-cache"
    del client.cookies["sessionid"]
    assert client.get(story.url)["X-Cache"] == "MISS"  # nothing was stored for the session
    assert "X-Cache" not in client.post(story.url)


def test_missing_pages_are_cached_briefly_and_appear_when_published(client, section):
    from tests.factories import ArticlePageFactory

    assert client.get("/thoi-su/trang-chua-co/").status_code == 404
    assert client.get("/thoi-su/trang-chua-co/")["X-Cache"] == "HIT"
    story = ArticlePageFactory(parent=section, title="Bài mới lên khuôn")
    assert client.get(story.url).status_code == 200


def test_a_new_paper_name_shows_on_every_page_at_once(client, story):
    from wagtail.models import Site

    from toasoan.core.models import PaperSettings

    client.get(story.url)
    assert client.get(story.url)["X-Cache"] == "HIT"
    paper = PaperSettings.for_site(Site.objects.get(is_default_site=True))
    paper.name = "Báo Quảng Nam điện tử"
    paper.save()
    html = client.get(story.url).content.decode()
    assert "Báo Quảng Nam điện tử" in html


def test_a_shared_link_shows_the_same_page_and_never_carries_its_tracking_parameter(
    client, story, pen_name
):
    """The copy a reader of a shared link gets is the plain page, and no link the page writes
    (canonical, Open Graph, paging) carries the ?fbclid=… it came with."""
    plain = client.get(story.url)
    shared = client.get(story.url + "?fbclid=IwAR0abc&utm_source=facebook")
    assert shared["X-Cache"] == "HIT" and shared.content == plain.content
    html = client.get(f"/tac-gia/{pen_name.slug}/?zarsrc=30&page=1&utm_campaign=a").content
    html = html.decode()
    assert "zarsrc" not in html and "utm_" not in html
    assert f'rel="canonical" href="http://testserver/tac-gia/{pen_name.slug}/?page=1"' in html
    assert "fbclid" not in client.get(story.url + "?fbclid=x2").content.decode()


def test_wordpress_style_addresses_still_reach_their_redirect_through_tracking(client, home):
    from toasoan.ingest.models import LegacyURL

    LegacyURL.objects.create(path="/?p=123", target_path="/thoi-su/")
    response = client.get("/?utm_source=zalo&p=123&fbclid=1")
    assert response.status_code == 301  # the reader's tracking goes on with them
    assert response["Location"] == "/thoi-su/?utm_source=zalo&fbclid=1"


def _readers_at_once(view, count: int, path: str = "/thoi-su/tin-nong-mua-lon-1.html"):
    """`count` readers of a shared link (each its own ?fbclid=) on a page no cache holds,
    arriving together, each on a thread of its own as on the app servers' threads."""
    from concurrent.futures import ThreadPoolExecutor

    from django.test import RequestFactory

    from toasoan.delivery.pagecache import PageCacheMiddleware, forget_worker_copies

    forget_worker_copies()
    middleware = PageCacheMiddleware(view)
    factory = RequestFactory()
    with ThreadPoolExecutor(count) as pool:
        return list(
            pool.map(lambda n: middleware(factory.get(f"{path}?fbclid=IwAR{n}")), range(count))
        )


def test_readers_arriving_together_on_a_cold_page_wait_for_one_render():
    import time

    from django.http import HttpResponse

    renders = []

    def breaking_story(request):
        renders.append(request.get_full_path())
        time.sleep(0.3)  # a first render after a publish: every kept part is cold
        return HttpResponse("<h1>Tin nóng: mưa lớn gây ngập sâu</h1>")

    answers = _readers_at_once(breaking_story, 8)
    assert len(renders) == 1  # not one per reader, nor one per worker thread
    assert [a.status_code for a in answers] == [200] * 8
    assert sorted(a["X-Cache"] for a in answers) == ["HIT"] * 7 + ["MISS"]
    assert len({a.content for a in answers}) == 1 and len({a["ETag"] for a in answers}) == 1


def test_when_the_first_render_stores_nothing_the_waiting_readers_render_their_own():
    import time

    from django.http import HttpResponse

    renders = []

    def failing_once(request):
        renders.append(request.get_full_path())
        time.sleep(0.2)
        if len(renders) == 1:
            return HttpResponse("Lỗi máy chủ", status=503)  # never stored: nothing to share
        return HttpResponse("<h1>Tin nóng</h1>")

    answers = _readers_at_once(failing_once, 4)
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 503]
    assert len(renders) == 4  # each waiting reader rendered it once the failed render ended
