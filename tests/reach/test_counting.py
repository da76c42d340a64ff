"""Counting for the dashboard: dimensions, engaged time, privacy (no address or user agent
kept), salts and events forgotten after 48 hours, Redis down, one rollup for every number."""

import logging
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from tests.factories import ArticlePageFactory
from tests.reach.conftest import BROWSER, beacon
from toasoan.readership import counting
from toasoan.readership.models import (
    DailySalt,
    DayBreakdown,
    HourlyViews,
    ReadEvent,
    StoryBreakdown,
    StoryDay,
)

pytestmark = pytest.mark.django_db

ADDRESS = "81.2.69.142"


def breakdown(story, dimension) -> dict[str, int]:
    return dict(
        StoryBreakdown.objects.filter(article=story, dimension=dimension).values_list(
            "value", "views"
        )
    )


def test_dimensions_engagement_and_refusals(client, story):
    beacon(
        client, story, ADDRESS, referrer="https://www.facebook.com/", query="?utm_campaign=bao-sang"
    )
    beacon(client, story, "1.52.0.1", referrer="https://chat.zalo.me/")
    beacon(client, story, "1.52.0.2", referrer="https://www.google.com.vn/")
    beacon(client, story, "1.52.0.3", query="?zarsrc=30")  # Zalo's in-app browser: no referrer
    beacon(client, story, "1.52.0.4", agent="Mozilla/5.0 (iPad; CPU OS 17_0) Safari/605")
    beacon(client, story, "8.8.8.8", HTTP_SEC_GPC="1")  # Global Privacy Control: not counted
    beacon(client, story, "8.8.4.4", HTTP_DNT="1")  # Do Not Track: not counted
    beacon(client, story, "8.8.4.4", agent="Mozilla/5.0 (compatible; bingbot/2.0)")
    engaged = client.post(
        f"/luot-doc/{story.pk}/doc/",
        {"s": "42", "d": "80", "e": "1", "t": "1"},
        HTTP_USER_AGENT=BROWSER,
        REMOTE_ADDR=ADDRESS,
    )
    assert engaged.status_code == 204 and not engaged.cookies
    counting.flush()
    day = StoryDay.objects.get(article=story)
    assert (day.views, day.visitors, day.abroad_views) == (5, 5, 1)
    assert (day.engaged_seconds, day.engaged_views, day.read_through, day.depth) == (42, 1, 1, 80)
    assert breakdown(story, "country") == {"GB": 1, "VN": 4}
    assert breakdown(story, "source") == {"social": 3, "search": 1, "direct": 1}
    assert breakdown(story, "host") == {"facebook": 1, "zalo": 2, "google": 1, "": 1}
    assert breakdown(story, "campaign") == {"bao-sang": 1, "": 4}
    assert breakdown(story, "device") == {"mobile": 4, "tablet": 1}
    assert sum(HourlyViews.objects.filter(article=story).values_list("views", flat=True)) == 5


def test_no_address_or_user_agent_is_kept_anywhere(client, story, caplog):
    """Every table of the database and the app's log after a run of counted views."""
    agent = BROWSER + " ToaSoanPrivacyProbe/1"
    caplog.set_level(logging.DEBUG)
    for n in range(5):
        beacon(client, story, f"81.2.69.{140 + n}", agent=agent, referrer="https://x.example/a")
        client.post(f"/luot-doc/{story.pk}/doc/", {"s": "5"}, HTTP_USER_AGENT=agent)
    counting.flush()
    assert ReadEvent.objects.count() == 10 and StoryDay.objects.get(article=story).views == 5
    kept = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            kept.extend(str(value) for row in cursor.fetchall() for value in row)
    text = "\n".join(kept) + "\n".join(r.getMessage() for r in caplog.records)
    for n in range(5):
        assert f"81.2.69.{140 + n}" not in text
    assert "ToaSoanPrivacyProbe" not in text and "Android 14" not in text
    assert "x.example/a" not in text  # only the referrer's host, never its path
    assert "x.example" in text


def test_salts_and_events_are_forgotten_after_48_hours(client, story):
    beacon(client, story, ADDRESS)
    counting.flush()
    hashed = ReadEvent.objects.get().visitor
    assert len(hashed) == 16 and DailySalt.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        counting.forget_old_events()
        assert not DailySalt.objects.exists() and not ReadEvent.objects.exists()
        assert StoryDay.objects.get(article=story).views == 1  # the sums stay
        beacon(client, story, ADDRESS)
        counting.flush()
        assert ReadEvent.objects.get().visitor != hashed  # a new day, a new salt


def test_one_rollup_for_the_rail_the_dashboard_and_the_api(client, home, section, story):
    other = ArticlePageFactory(parent=section, title="Bài thứ hai")
    for n in range(3):
        beacon(client, story, f"1.52.0.{n + 1}")
    beacon(client, other, "1.52.0.9")
    counting.flush()
    rail = {s.pk: s.views for s in counting.most_read(home.path, "24h")}
    days = dict(StoryDay.objects.values_list("article_id", "views"))
    sections = DayBreakdown.objects.filter(dimension="all").values_list("views", flat=True)
    api = client.get("/api/most-read", {"window": "24h"}).json()
    from_api = {item["story"]["id"]: item["views"] for item in api["items"]}
    assert rail == days == from_api == {story.pk: 3, other.pk: 1}
    assert sum(sections) == 4


def test_beacons_answer_at_once_while_redis_is_down(client, story, settings):
    """Redis refusing connections: every beacon still 204s at once, views go to the
    database (as the most-read rail always degraded), nothing 5xx."""
    from toasoan.core import breaker

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    counting._redis_client = None
    breaker.redis.reset()
    try:
        started = time.perf_counter()
        statuses = [beacon(client, story, f"1.52.0.{n + 1}").status_code for n in range(20)]
        statuses.append(
            client.post(
                f"/luot-doc/{story.pk}/doc/", {"s": "9"}, HTTP_USER_AGENT=BROWSER
            ).status_code
        )
        elapsed = time.perf_counter() - started
        assert set(statuses) == {204}
        assert elapsed < 5, elapsed  # no waiting on Redis: the breaker skips it
        assert counting.flush() == 21
        assert StoryDay.objects.get(article=story).views == 20
    finally:
        counting._redis_client = None
        breaker.redis.reset()
