"""Read replica: readers' page views read from "replica", staff and writes use "default".

The "replica" alias is Django's test MIRROR of "default" (the same test database over a
second connection), exactly as settings.py configures it when DATABASE_REPLICA_URL is set,
so each connection's own query log shows which one served a request.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.db import connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory
from toasoan.core.changes import JUST_CHANGED_KEY
from toasoan.core.routing import ReplicaRouter, public_reads
from toasoan.delivery.pagecache import forget_worker_copies
from toasoan.newsroom.models import ArticlePage
from toasoan.readership import counting
from toasoan.readership.models import HourlyViews

# Added before the test database is set up, so Django makes it a mirror of "default".
if "replica" not in connections.settings:
    connections.settings["replica"] = connections.configure_settings(
        {
            "default": connections.settings["default"],
            "replica": {**connections.settings["default"], "TEST": {"MIRROR": "default"}},
        }
    )["replica"]

replica_db = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def routed(settings):
    settings.DATABASE_ROUTERS = ["toasoan.core.routing.ReplicaRouter"]


READER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14) Chrome/130 Mobile Safari/537.36"}


def served(client, method: str, url: str):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = getattr(client, method)(url, **READER)
    return response, primary.captured_queries, replica.captured_queries


@replica_db
def test_readers_pages_are_read_from_the_replica_and_their_posts_go_to_the_primary(
    routed, client, story
):
    client.get(story.url, **READER)  # the first view makes the cover's sizes (a write)
    client.get("/", **READER)
    for alias in ("default", "renditions"):
        caches[alias].clear()
    forget_worker_copies()  # and this worker's own copies of the pages
    for url in (story.url, "/"):
        response, primary, replica = served(client, "get", url)
        assert response.status_code == 200
        assert len(replica) >= 5, url
        # Only the paper's settings row is read on the primary (Wagtail's get_or_create).
        assert all("core_papersettings" in q["sql"] for q in primary), url
    assert story.title in response.content.decode()

    response, primary, replica = served(client, "post", f"/luot-doc/{story.pk}/")
    assert response.status_code == 204
    assert primary and not replica
    counting.flush()  # the minute's rollup
    assert HourlyViews.objects.get(article_id=story.pk).views == 1


@replica_db
def test_staff_and_the_admin_use_the_primary(routed, settings, client, story):
    settings.TWO_FACTOR_REQUIRED = False
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for url in ("/admin/", story.url):
        response, primary, replica = served(client, "get", url)
        assert response.status_code == 200, url
        assert primary
        assert not replica, url


@pytest.mark.django_db
def test_reads_after_a_write_in_the_same_request_go_to_the_primary(routed):
    router = ReplicaRouter()
    seen = []

    def view(request):
        seen.append(router.db_for_read(ArticlePage))
        HourlyViews.objects.filter(pk=0).update(views=1)  # the request writes something
        seen.append(router.db_for_read(ArticlePage))

    request = RequestFactory().get("/thoi-su/tin-1.html")
    request.user = AnonymousUser()
    public_reads(view)(request)
    assert seen == ["replica", "default"]
    assert router.db_for_read(ArticlePage) == "default"  # outside any request


@replica_db
def test_just_after_a_change_readers_pages_come_from_the_primary(routed, settings, client, story):
    """A lagging replica must not feed the page cached under the new content generation."""
    settings.DATABASE_REPLICA_LAG_SECONDS = 5
    story.title = "Tiêu đề mới sau khi sửa"
    story.save_revision().publish()  # a change: the replica may not have it for a while

    response, primary, replica = served(client, "get", story.url)
    assert "Tiêu đề mới sau khi sửa" in response.content.decode()
    assert primary and not replica

    caches["default"].delete(JUST_CHANGED_KEY)  # the lag window has passed
    response, primary, replica = served(client, "get", "/")
    assert response.status_code == 200 and replica
