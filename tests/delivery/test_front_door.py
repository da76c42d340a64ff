"""The WSGI front door: hot anonymous pages answered from the worker's memory, before Django,
and never to staff, never stale after a change."""

import gzip
from io import BytesIO

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from tests.factories import ArticlePageFactory
from toasoan.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def app():
    """toasoan.wsgi.application as gunicorn calls it; counts the requests Django itself saw.
    (Like Django's test client, it keeps the test's database connection open.)"""
    from toasoan.wsgi import application

    seen = []

    def count(**kwargs):
        seen.append(1)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.connect(count)
    application.django_saw = seen
    yield application
    request_started.disconnect(count)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _get(app, path, **headers):
    environ = RequestFactory()._base_environ(
        **{"PATH_INFO": path, "REQUEST_METHOD": "GET", "QUERY_STRING": "", **headers}
    )
    environ["wsgi.input"] = BytesIO()
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(response_headers)

    result = app(environ, start_response)
    body = b"".join(result)
    if hasattr(result, "close"):
        result.close()
    if answer["headers"].get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return answer["status"], answer["headers"], body.decode()


def test_third_reader_is_answered_without_django_with_the_same_page(app, story):
    status, headers, html = _get(app, story.url)
    assert status == "200 OK" and headers["X-Cache"] == "MISS"
    assert len(app.django_saw) == 1
    # Changed behind publishing's back: the copy must still be the one served (not re-rendered).
    ArticlePage.objects.filter(pk=story.pk).update(title="Không qua xuất bản")
    # The second reader gets the shared copy through Django; the worker keeps it from then on.
    status, again_headers, again = _get(app, story.url)
    assert status == "200 OK" and again == html and again_headers["X-Cache"] == "HIT"
    assert len(app.django_saw) == 2
    status, third_headers, third = _get(app, story.url)
    assert status == "200 OK" and third == html and "Không qua xuất bản" not in third
    assert third_headers["X-Cache"] == "HIT" and third_headers["ETag"] == headers["ETag"]
    assert third_headers["X-Content-Type-Options"] == "nosniff"  # Django's headers kept
    assert len(app.django_saw) == 2


def test_a_crawlers_walk_leaves_no_copies_in_the_worker(app, section):
    """Pages asked for once (a crawler's walk through the archive) are not kept in the
    worker: its memory holds what readers come back to, not the last pages crawled."""
    from toasoan.delivery.pagecache import front_copies, worker_copies

    stories = [ArticlePageFactory(parent=section, title=f"Tin lưu trữ {n}") for n in range(30)]
    for story in stories:
        assert _get(app, story.url)[0] == "200 OK"
    assert len(worker_copies) == 0 and len(front_copies) == 0
    assert worker_copies.bytes == 0 and front_copies.bytes == 0


def test_publishing_a_change_is_seen_at_once(app, story):
    _get(app, story.url)
    page = story.get_latest_revision_as_object()
    page.title = "Quảng Nam khởi công cao tốc nối cảng Kỳ Hà"
    page.save_revision().publish()
    status, headers, html = _get(app, story.url)
    assert status == "200 OK" and "Quảng Nam khởi công cao tốc" in html
    assert len(app.django_saw) == 2


def test_staff_and_conditional_requests_always_reach_django(app, story):
    _get(app, story.url)
    _get(app, story.url)  # the second reader: the worker keeps the page from now on
    _, staff_headers, _ = _get(app, story.url, HTTP_COOKIE="sessionid=abc; _ga=1")
    assert staff_headers["Cache-Control"] == "private, no-cache"
    assert "X-Cache" not in staff_headers
    etag = _get(app, story.url)[1]["ETag"]
    status, _, body = _get(app, story.url, HTTP_IF_NONE_MATCH=etag)
    assert status == "304 Not Modified" and body == ""
    assert len(app.django_saw) == 4  # two first readers, the staff request, the conditional one


def test_other_hosts_and_uncached_paths_get_their_own_answer(app, story):
    _get(app, story.url)
    status, _, _ = _get(app, story.url, HTTP_HOST="evil.example")
    assert status.startswith("400")
    for _ in range(2):
        _get(app, "/search/", QUERY_STRING="q=quang+nam")
    assert len(app.django_saw) == 4


def _cache_entries() -> int:
    from django.core.cache import cache

    return len(cache.keys("*")) if hasattr(cache, "keys") else len(cache._cache)


def test_a_viral_share_renders_the_story_once_and_stores_one_copy(app, story):
    """Every reader of a shared link brings their own ?fbclid=… (or utm_*, zarsrc…): one render
    and one stored copy serve them all, the same page as without it."""
    _, _, plain = _get(app, story.url)
    stored = _cache_entries()
    for n in range(1000):
        query = [
            "fbclid=IwAR{n}x",
            "utm_source=facebook&utm_medium=social&fbclid=a{n}",
            "zarsrc=31&utm_source=zalo&zalo_id={n}",
            "gclid={n}&_gl=1*{n}",
        ][n % 4]
        status, headers, html = _get(app, story.url, QUERY_STRING=query.format(n=n))
        assert status == "200 OK" and html == plain
    assert len(app.django_saw) <= 2
    assert _cache_entries() - stored <= 2


def test_made_up_parameters_on_a_story_add_no_copies(app, story):
    _get(app, story.url)
    _get(app, story.url)  # the second reader: the worker keeps the page from now on
    stored = _cache_entries()
    for n in range(200):
        _get(app, story.url, QUERY_STRING=f"x={n}")
        _get(app, story.url, QUERY_STRING=f"page={n}&p={n}")  # a story reads neither
    assert _cache_entries() == stored
    assert len(app.django_saw) == 2


def test_listing_pages_are_kept_per_page_number_whatever_else_comes(app, section, story):
    _, _, first = _get(app, section.url, QUERY_STRING="fbclid=1")
    _get(app, section.url, QUERY_STRING="page=1&utm_source=x")
    _, _, again = _get(app, section.url, QUERY_STRING="x=2&y=3")
    assert again == first
    # the section, its ?page=1, and the section's second reader (the shared copy, kept now)
    assert len(app.django_saw) == 3
    for query in ("page=1&fbclid=2", "fbclid=3&page=1", "PAGE=1", "page=1&page=7"):
        _get(app, section.url, QUERY_STRING=query)
    assert len(app.django_saw) == 4  # ?page=1's second reader; the others from the worker
    status, _, _ = _get(app, section.url, QUERY_STRING="page=7&fbclid=4")
    assert status.startswith("404")  # the page number still counts


def test_an_old_address_sends_each_reader_on_with_their_own_tracking(app, story):
    wrong = f"/thoi-su/ten-cu-{story.pk}.html"
    for query in ("", "utm_source=zalo&fbclid=1", "fbclid=2", "", ""):
        status, headers, _ = _get(app, wrong, QUERY_STRING=query)
        assert status.startswith("301")
        assert headers["Location"] == story.url + (f"?{query}" if query else "")
    # the plain copy is kept from its second reader; the others add their own
    assert len(app.django_saw) <= 4


def test_browsers_get_the_page_compressed_and_other_readers_plain_from_the_same_copies(app, story):
    browser = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}
    _, plain_headers, plain = _get(app, story.url)
    assert "Content-Encoding" not in plain_headers
    for _ in range(3):  # a render for each kind of reader at most, then copies
        _, headers, html = _get(app, story.url, **browser)
        assert headers["Content-Encoding"] == "gzip" and html == plain
        assert "Accept-Encoding" in headers["Vary"]
        _, headers, html = _get(app, story.url)
        assert "Content-Encoding" not in headers and html == plain
    assert len(app.django_saw) <= 4  # the page rendered once; the rest from the copies
    # A browser's conditional request with the compressed copy's (weak) ETag: a 304.
    etag = _get(app, story.url, **browser)[1]["ETag"]
    assert etag.startswith("W/")
    status, _, body = _get(app, story.url, HTTP_IF_NONE_MATCH=etag, **browser)
    assert status == "304 Not Modified" and body == ""
