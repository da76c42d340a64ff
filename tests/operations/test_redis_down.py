"""Redis unreachable (a real client aimed at a port nothing listens on): readers are served,
views are counted in the database, rate limits let requests through instead of failing."""

import pytest

from toasoan.readership import counting
from toasoan.readership.models import HourlyViews

from .helpers import free_port

READER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130 Safari/537.36"}


@pytest.fixture
def dead_redis(settings, monkeypatch):
    url = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    options = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        "IGNORE_EXCEPTIONS": True,
        "SOCKET_CONNECT_TIMEOUT": 0.5,
        "SOCKET_TIMEOUT": 0.5,
    }
    settings.REDIS_URL = url
    backend = "toasoan.core.breaker.GuardedRedisCache"
    settings.CACHES = {
        alias: {"BACKEND": backend, "LOCATION": url, "OPTIONS": options}
        for alias in ("default", "renditions")
    }
    monkeypatch.setattr(counting, "_redis_client", None)
    return url


@pytest.mark.django_db
def test_pages_search_api_and_beacon_work_while_redis_is_down(dead_redis, client, story):
    for url in ("/", story.url, "/search/?q=kinh+te", "/api/stories"):
        response = client.get(url, **READER)
        assert response.status_code == 200, url
    for _ in range(2):
        assert client.post(f"/luot-doc/{story.pk}/", **READER).status_code == 204
    # Counted straight into the database (repeats cannot be filtered without Redis), then
    # rolled up as usual.
    counting.flush()
    assert HourlyViews.objects.get(article_id=story.pk).views == 2
