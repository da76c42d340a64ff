"""The beacons answered before Django (readership/door.py, in toasoan/wsgi.py): counted as the
Django views count them, limited per address and story, and a flush that dies half-way
neither loses nor doubles a view."""

from urllib.parse import urlencode

import pytest
from django.test import RequestFactory

from toasoan import settings as project_settings
from toasoan.readership import counting
from toasoan.readership.door import BeaconDoor
from toasoan.readership.models import ReadEvent, StoryBreakdown, StoryDay

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130 Mobile Safari/537.36"
FORM = "application/x-www-form-urlencoded;charset=UTF-8"  # what sendBeacon sends


def redis_client():
    """The test process's own Redis database (settings give each xdist worker its own: two
    workers sharing one would take each other's buffered beacons), or a fake one."""
    url = project_settings.REDIS_URL
    if url:
        import redis

        return url, redis.Redis.from_url(url)
    import fakeredis

    return "redis://fake", fakeredis.FakeRedis()


@pytest.fixture(params=["database", "redis"])
def tally(request, settings, monkeypatch):
    """Each test with no Redis, then with Redis (the real one when REDIS_URL is set)."""
    if request.param == "database":
        settings.REDIS_URL = ""
        yield None
        return
    yield from _redis_tally(settings, monkeypatch)


@pytest.fixture
def redis_tally(settings, monkeypatch):
    yield from _redis_tally(settings, monkeypatch)


def _redis_tally(settings, monkeypatch):
    """Counting on Redis, its queues empty before and after."""
    settings.REDIS_URL, client = redis_client()
    monkeypatch.setattr(counting, "_redis_client", client)
    keys = (counting.events_key(), counting.processing_key(), counting._token_key())
    client.delete(*keys)
    yield client
    client.delete(*keys)


class Django:
    """What the door hands on: records that it was called (and what body it could read)."""

    def __init__(self):
        self.calls = []

    def __call__(self, environ, start_response):
        self.calls.append((environ["REQUEST_METHOD"], environ["wsgi.input"].read()))
        start_response("200 OK", [])
        return [b"django"]


def send(door, path, data=None, address="81.2.69.142", agent=BROWSER, method="post", **extra):
    """A beacon as a browser sends it, through the door: (status, body)."""
    factory = RequestFactory()
    if method == "post":
        content_type = extra.pop("content_type", FORM)
        body = urlencode(data or {}) if content_type == FORM else data
        request = factory.post(
            path, body, content_type=content_type, HTTP_USER_AGENT=agent, **extra
        )
    else:
        request = factory.get(path, HTTP_USER_AGENT=agent, **extra)
    environ = {**request.environ, "REMOTE_ADDR": address}
    sent = []
    body = b"".join(door(environ, lambda status, headers, exc_info=None: sent.append(status)))
    return sent[0], body


def test_the_door_counts_beacons_before_django(story, tally):
    django = Django()
    door = BeaconDoor(django)
    view = {"r": "https://www.facebook.com/", "q": "?utm_campaign=bao-sang"}
    assert send(door, f"/luot-doc/{story.pk}/", view) == ("204 No Content", b"")
    assert send(door, f"/luot-doc/{story.pk}/", view)[0] == "204 No Content"  # a repeat
    send(door, f"/luot-doc/{story.pk}/doc/", {"s": "14", "d": "60", "e": "1", "t": "0"})
    send(door, f"/luot-doc/{story.pk}/doc/", {"s": "9000", "d": "30", "t": "1"})  # capped
    send(door, f"/luot-doc/{story.pk}/", view, address="8.8.8.8", HTTP_SEC_GPC="1")
    send(door, f"/luot-doc/{story.pk}/", view, address="8.8.4.4", agent="curl/8.5.0")
    send(door, f"/luot-doc/{story.pk}/", view, address="8.8.4.4", HTTP_SEC_PURPOSE="prefetch")
    send(door, "/luot-doc/999999/", view, address="8.8.4.4")  # no such story
    assert django.calls == []  # none of them reached Django
    counting.flush()
    day = StoryDay.objects.get(article=story)
    assert (day.views, day.visitors, day.abroad_views) == (1, 1, 1)
    assert (day.engaged_seconds, day.engaged_views, day.depth, day.read_through) == (
        14 + counting.MAX_SECONDS,
        1,
        90,
        1,
    )
    parts = dict(StoryBreakdown.objects.filter(article=story).values_list("dimension", "value"))
    assert parts == {
        "country": "GB",
        "source": "social",
        "host": "facebook",
        "campaign": "bao-sang",
        "device": "mobile",
    }
    assert ReadEvent.objects.count() == 3


def test_the_door_leaves_everything_else_to_django(story, tally):
    django = Django()
    door = BeaconDoor(django)
    assert send(door, f"/luot-doc/{story.pk}/", method="get") == ("200 OK", b"django")
    assert send(door, f"/luot-doc/{story.pk}/x/", {"r": ""})[1] == b"django"
    assert send(door, f"/luot-doc/{story.pk}/", {"r": ""}, HTTP_HOST="evil.example")[1] == (
        b"django"  # a host we do not serve: Django answers it (400)
    )
    json = send(door, f"/luot-doc/{story.pk}/", '{"r": ""}', content_type="application/json")
    assert json[1] == b"django"
    assert django.calls[-1] == ("POST", b'{"r": ""}')  # the body is still there for Django
    assert not ReadEvent.objects.exists()
    # The English edition's beacons come through the door too.
    assert send(door, f"/en/luot-doc/{story.pk}/", {"r": ""})[0] == "204 No Content"
    assert len(django.calls) == 4


def test_toasoan_wsgi_puts_the_door_in_front(story, tally):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from toasoan.wsgi import application

    assert send(application, f"/luot-doc/{story.pk}/", {"r": ""})[0] == "204 No Content"
    # Django's own handler behind it (as the test client runs it: the test's connection kept)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        assert send(application, f"/luot-doc/{story.pk}/", method="get")[0].startswith("405")
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    counting.flush()
    assert StoryDay.objects.get(article=story).views == 1


def test_beacons_are_limited_per_address_and_story(story, tally, monkeypatch):
    """One address cannot inflate a story by changing its user agent, nor its reading time
    by repeating reports: past the limit the beacon is answered and counts nothing."""
    monkeypatch.setattr(counting, "VIEW_LIMIT", 3)
    monkeypatch.setattr(counting, "ENGAGE_LIMIT", 2)
    door = BeaconDoor(Django())
    for n in range(6):
        status, _ = send(door, f"/luot-doc/{story.pk}/", {"r": ""}, agent=f"{BROWSER} v{n}")
        assert status == "204 No Content"
    send(door, f"/luot-doc/{story.pk}/", {"r": ""}, address="81.2.69.143")  # another reader
    for _ in range(5):
        send(door, f"/luot-doc/{story.pk}/doc/", {"s": "15"})
    counting.flush()
    day = StoryDay.objects.get(article=story)
    assert (day.views, day.engaged_seconds) == (3 + 1, 2 * 15)


def test_a_flush_that_dies_loses_and_doubles_nothing(story, redis_tally, monkeypatch):
    door = BeaconDoor(Django())
    for n in range(4):
        send(door, f"/luot-doc/{story.pk}/", {"r": ""}, address=f"1.52.0.{n + 1}")
    # Dies after writing, before dropping its events from Redis: the next flush drops them.
    real_ack = counting._ack
    monkeypatch.setattr(counting, "_ack", lambda token: None)
    assert counting.flush() == 4
    assert redis_tally.llen(counting.processing_key()) == 4
    monkeypatch.setattr(counting, "_ack", real_ack)
    send(door, f"/luot-doc/{story.pk}/", {"r": ""}, address="1.52.0.9")
    assert counting.flush() == 1
    assert StoryDay.objects.get(article=story).views == 5
    # Dies before writing (the database refused): the events wait for the next flush.
    for n in range(3):
        send(door, f"/luot-doc/{story.pk}/", {"r": ""}, address=f"1.53.0.{n + 1}")
    real_rollup = counting.rollup

    def broken(mark):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(counting, "rollup", broken)
    assert counting.flush() == 0
    monkeypatch.setattr(counting, "rollup", real_rollup)
    assert counting.flush() == 3
    assert counting.flush() == 0
    assert StoryDay.objects.get(article=story).views == 8
    assert not redis_tally.exists(counting.events_key(), counting.processing_key())
