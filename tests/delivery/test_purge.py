"""Publishing purges the changed URLs from the nginx micro-caches, after the commit."""

import logging
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from toasoan.delivery import purge
from toasoan.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db


@contextmanager
def front_cache(settings, handler: type[BaseHTTPRequestHandler]):
    """A real HTTP listener standing in for nginx, answering with `handler`, configured as
    the site's front cache while the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WAGTAILFRONTENDCACHE = {
        "nginx0": {
            "BACKEND": "toasoan.delivery.purge.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def purge_listener(settings):
    """A real HTTP listener standing in for nginx: it records every PURGE it receives."""
    received: list[tuple[str, str]] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            received.append((self.headers["Host"], self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    with front_cache(settings, Recorder):
        yield received


LISTINGS = {
    "/",
    "/thoi-su/",
    "/rss/",
    "/rss/thoi-su.rss",
    "/rss/tin-moi-nhat.rss",
    "/sitemap.xml",
    "/sitemap-news.xml",
    "/sitemap-bai-viet.xml",
    "/sitemap-chuyen-muc.xml",
}


def test_update_purges_old_and_new_story_url_section_home_feeds_and_sitemaps(
    purge_listener, story, django_capture_on_commit_callbacks
):
    old_path = story.url
    page = story.get_latest_revision_as_object()
    page.title = "Đà Nẵng mở tuyến xe buýt ra sân bay"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page.save_revision().publish()
    assert purge_listener == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    purge.drain()
    new_path = ArticlePage.objects.get(pk=story.pk).url
    assert new_path != old_path
    assert {host for host, _ in purge_listener} == {"localhost"}
    assert {old_path, new_path} | LISTINGS <= {path for _, path in purge_listener}


def test_unpublish_and_comment_approval_purge_the_story(
    purge_listener, story, django_capture_on_commit_callbacks
):
    from toasoan.comments import moderation
    from toasoan.comments.models import Comment, Status

    comment = Comment.objects.create(article=story, name="An", email="an@x.vn", text="Đúng")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate([comment], Status.APPROVED)
    purge.drain()
    assert ("localhost", story.url) in purge_listener

    purge_listener.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=story.pk).unpublish()
    purge.drain()
    assert {story.url} | LISTINGS <= {path for _, path in purge_listener}


def test_an_unreachable_cache_is_logged_never_raised_to_the_editor(
    settings, story, caplog, django_capture_on_commit_callbacks
):
    from tests.delivery.live import free_port

    settings.WAGTAILFRONTENDCACHE = {
        "nginx0": {
            "BACKEND": "toasoan.delivery.purge.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{free_port()}",  # nobody listens there
        }
    }
    page = story.get_latest_revision_as_object()
    page.title = "Bài vẫn lên khi nginx không trả lời"
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    purge.drain()
    assert ArticlePage.objects.get(pk=story.pk).title == "Bài vẫn lên khi nginx không trả lời"
    assert any("Purge of" in r.getMessage() and "failed" in r.getMessage() for r in caplog.records)


def test_publish_returns_before_a_slow_cache_answers_and_listings_pages_are_purged(
    settings, story, django_capture_on_commit_callbacks
):
    """A hung nginx holds nobody's click: the purge runs beside the request, and reaches the
    first pages of each listing, the copies the micro-cache keeps."""
    received: list[str] = []
    answer = threading.Event()  # nginx hangs until the editor's publish has returned

    class Slow(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - the HTTP method's name
            answer.wait(5)
            received.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    with front_cache(settings, Slow):
        page = story.get_latest_revision_as_object()
        page.title = "Bài lên ngay, nginx xoá sau"
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        assert received == []  # the publish returned while nginx had answered nothing
        answer.set()
        purge.drain()
    assert {"/thoi-su/?page=1", "/thoi-su/?page=5", "/?page=2"} <= set(received)
    assert not any(p.endswith(".html?page=1") for p in received)  # a story has one copy


def test_with_a_task_worker_publishing_queues_one_purge_the_worker_sends(
    settings, purge_listener, story, monkeypatch, django_capture_on_commit_callbacks
):
    """In production the editor's publish only queues the purge; the task worker works out
    the addresses (old and new story URL, section, home, feeds, sitemaps) and sends them."""
    from django_tasks_db.models import DBTaskResult

    from tests.operations.test_tasks import DATABASE_QUEUE, run_worker

    settings.TASKS = DATABASE_QUEUE
    old_path = story.url
    page = story.get_latest_revision_as_object()
    page.title = "Quảng Nam khởi công cầu mới qua sông Thu Bồn"
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    purge.drain()
    assert purge_listener == []  # nginx still holds the old copies: the worker purges them
    assert DBTaskResult.objects.filter(task_path="toasoan.core.changes.purge_changed").count() == 1

    run_worker(monkeypatch)

    new_path = ArticlePage.objects.get(pk=story.pk).url
    assert new_path != old_path
    assert {old_path, new_path} | LISTINGS <= {path for _, path in purge_listener}


def test_pages_readers_arrive_on_are_refreshed_in_place_the_rest_purged(
    settings, story, django_capture_on_commit_callbacks
):
    """The story and the home page are fetched anew into nginx (readers never find them
    cold); sections, a listing's deeper pages and sitemaps are purged; the story's old
    address, gone, is purged too."""
    old_path = story.url
    received: list[tuple[str, str]] = []

    class Front(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the HTTP method's name
            refresh = self.headers.get("X-Toasoan-Refresh") == "1"
            received.append(("REFRESH" if refresh else "GET", self.path))
            self.send_response(404 if self.path == old_path else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_PURGE(self):  # noqa: N802
            received.append(("PURGE", self.path))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    with front_cache(settings, Front):
        page = story.get_latest_revision_as_object()
        page.title = "Hội An đón khách quốc tế trở lại"
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        purge.drain()
    new_path = ArticlePage.objects.get(pk=story.pk).url
    assert {("REFRESH", new_path), ("REFRESH", "/")} <= set(received)
    purged = {("PURGE", old_path), ("PURGE", "/thoi-su/"), ("PURGE", "/?page=2")}
    assert purged | {("PURGE", "/sitemap.xml")} <= set(received)
    assert ("PURGE", new_path) not in received and ("PURGE", "/") not in received
