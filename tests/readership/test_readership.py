"""View counting ("Đọc nhiều"): a beacon after load, bots and 30-minute repeats ignored,
the same results with the database tally (no Redis) and the Redis tally."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ArticlePageFactory, SectionPageFactory, UserFactory
from tests.readership.test_door import redis_client
from toasoan.core.changes import forget_remembered
from toasoan.readership import counting
from toasoan.readership.models import HourlyViews

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130 Mobile Safari/537.36"


@pytest.fixture(params=["database", "redis"])
def tally(request, settings, monkeypatch):
    """Run each test with no Redis, then with Redis (the real one when REDIS_URL is set)."""
    if request.param == "database":
        settings.REDIS_URL = ""
        yield "database"
        return
    settings.REDIS_URL, client = redis_client()
    monkeypatch.setattr(counting, "_redis_client", client)
    client.delete(counting.events_key())
    yield "redis"
    client.delete(counting.events_key())


def beacon(client, story, agent=BROWSER, ip="203.0.113.1"):
    return client.post(f"/luot-doc/{story.pk}/", HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)


def read(story, n: int) -> None:
    """Reader number n (their own address) whose browser sends the story's view beacon."""
    from django.test import Client

    Client().post(
        f"/luot-doc/{story.pk}/", HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"198.51.100.{n + 1}"
    )


def views_of(story) -> int:
    counting.flush()
    return sum(HourlyViews.objects.filter(article=story).values_list("views", flat=True))


def test_beacon_counts_once_per_visitor_per_30_minutes(client, story, tally):
    response = beacon(client, story)
    assert response.status_code == 204 and not response.cookies
    assert beacon(client, story).status_code == 204  # the same reader again: not counted
    beacon(client, story, ip="203.0.113.2")  # another reader
    beacon(client, story, agent=BROWSER.replace("Chrome/130", "Chrome/131"))  # another browser
    assert views_of(story) == 3
    assert client.get(f"/luot-doc/{story.pk}/").status_code == 405


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "facebookexternalhit/1.1",
        "Mozilla/5.0 (compatible; coccocbot-web/1.0)",
        "Mozilla/5.0 HeadlessChrome/130.0",
        "python-requests/2.32",
        "curl/8.5.0",
    ],
)
def test_bots_are_not_counted(client, story, tally, agent):
    assert beacon(client, story, agent=agent).status_code == 204
    assert views_of(story) == 0


def test_prefetch_and_unpublished_stories_are_not_counted(client, section, tally):
    draft = ArticlePageFactory(parent=section, live=False)
    beacon(client, draft)
    live = ArticlePageFactory(parent=section)
    client.post(f"/luot-doc/{live.pk}/", HTTP_USER_AGENT=BROWSER, HTTP_SEC_PURPOSE="prefetch")
    assert views_of(draft) == 0 and views_of(live) == 0
    assert client.post("/luot-doc/999999/", HTTP_USER_AGENT=BROWSER).status_code == 204


def test_most_read_rails_on_home_and_section(client, home, section, tally):
    other = SectionPageFactory(parent=home, title="Thể thao", slug="the-thao")
    popular = ArticlePageFactory(parent=section, title="Tin được đọc nhiều nhất")
    second = ArticlePageFactory(parent=other, title="Tin thể thao đọc nhì")
    quiet = ArticlePageFactory(parent=section, title="Tin ít người đọc")
    last_week = ArticlePageFactory(parent=section, title="Tin hot tuần trước")
    for n in range(5):
        read(popular, n)
    for n in range(3):
        read(second, n)
    read(quiet, 0)
    HourlyViews.objects.create(
        article=last_week, hour=counting.current_hour() - timedelta(days=3), views=50
    )
    HourlyViews.objects.create(  # older than 7 days: gone from both rails
        article=quiet, hour=counting.current_hour() - timedelta(days=9), views=500
    )
    counting.flush()  # the minute's rollup (the timer's, or the next beacon's), never a page's
    home_html = client.get("/").content.decode()
    rails = home_html.split('class="most-read', 1)[1].split("</section>")[0]
    day, week = rails.split("7 ngày qua")
    assert day.index(popular.title) < day.index(second.title) < day.index(quiet.title)
    assert last_week.title not in day
    assert week.index(last_week.title) < week.index(popular.title)
    section_html = client.get(section.url).content.decode()
    section_rails = section_html.split('class="most-read', 1)[1].split("</section>")[0]
    assert popular.title in section_rails and second.title not in section_rails


def test_rails_are_cached_and_hidden_without_views(client, home, section, story, tally, settings):
    # The rails' own cache, under the whole-page cache (toasoan.delivery), measured without it.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("PageCacheMiddleware")]
    assert "Đọc nhiều" not in client.get("/").content.decode()
    read(story, 0)
    from django.core.cache import cache

    cache.delete(f"readership:rails:{home.path}")
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    with CaptureQueriesContext(connection) as cold:
        cache.delete(f"readership:rails:{home.path}")
        forget_remembered()  # and the worker's own copy of them (up to 30 s)
        client.get("/")
    assert len(cold) > len(warm)  # the rails cost queries only when the cache is cold


def test_article_page_counts_through_a_beacon_and_stays_cacheable(client, story):
    response = client.get(story.url)
    html = response.content.decode()
    assert f'data-view-beacon="/luot-doc/{story.pk}/"' in html
    assert not response.cookies
    assert not HourlyViews.objects.exists()  # serving the page counts nothing


def test_staff_see_views_per_story(client, home, story, section, tally):
    other = ArticlePageFactory(parent=section, title="Bài khác ít đọc")
    for n in range(4):
        read(story, n)
    HourlyViews.objects.create(
        article=other, hour=counting.current_hour() - timedelta(days=30), views=7
    )
    staff = UserFactory(is_superuser=False)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get("/admin/reports/luot-doc/").content.decode()
    row = html.split(story.title)[1].split("</tr>")[0]
    assert [int(x) for x in __import__("re").findall(r"<td>(\d+)</td>", row)] == [4, 4, 4]
    html = client.get("/admin/reports/luot-doc/?khoang=all").content.decode()
    assert html.index("Bài khác ít đọc") < html.index(story.title)  # 7 views in all beat 4
    assert counting.totals_for([story.pk, other.pk]) == {
        story.pk: {"24h": 4, "7d": 4, "total": 4},
        other.pk: {"24h": 0, "7d": 0, "total": 7},
    }


def test_redis_events_reach_the_database_in_batches(story, settings, monkeypatch):
    import fakeredis

    settings.REDIS_URL = "redis://fake"
    client = fakeredis.FakeRedis()
    monkeypatch.setattr(counting, "_redis_client", client)
    from django.core.cache import cache

    cache.add("readership:flush-lock", 1, 60)  # a flush just happened
    for n in range(6):
        read(story, n)
    assert not HourlyViews.objects.exists()  # kept in Redis, not one INSERT per view
    assert client.llen(counting.events_key()) == 6
    assert counting.flush() == 6
    assert HourlyViews.objects.get(article=story).views == 6
    assert not client.exists(counting.events_key())
    assert counting.flush() == 0


def test_hour_buckets_follow_the_clock(story, tally):
    import time_machine

    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        read(story, 1)
    read(story, 2)
    counting.flush()
    assert HourlyViews.objects.filter(article=story).count() == 2
