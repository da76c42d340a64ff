"""Periods of many months read the monthly sums the rollup keeps beside the daily ones, and
show exactly what the days add up to; pen names are a dimension of the dashboard; reading
the dashboard never writes the rollups, yet "live now" shows a view at once."""

import csv
import io
import time
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db.models import Sum
from django.utils import timezone

from tests.factories import ArticlePageFactory, PenNameFactory, SectionPageFactory, UserFactory
from tests.reach.conftest import beacon
from tests.readership.test_door import _redis_tally
from tests.staff import client_for
from toasoan.reach import report, stats
from toasoan.readership import counting
from toasoan.readership.models import (
    MonthBreakdown,
    ReadEvent,
    StoryDay,
    StoryMonth,
    spans,
)

pytestmark = pytest.mark.django_db

VN, US, GB = ["1.52.0.1", "1.52.0.2", "1.52.0.3"], "8.8.8.8", "81.2.69.142"


def at(*args):
    return time_machine.travel(timezone.make_aware(datetime(*args)), tick=True)


def test_a_period_is_split_into_loose_days_and_whole_months():
    assert spans(date(2026, 1, 15), date(2026, 4, 10)) == (
        [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 4, 1), date(2026, 4, 10))],
        (date(2026, 2, 1), date(2026, 3, 1)),
    )
    assert spans(date(2026, 2, 1), date(2026, 3, 31)) == ([], (date(2026, 2, 1), date(2026, 3, 1)))
    assert spans(date(2026, 2, 2), date(2026, 3, 30)) == (
        [(date(2026, 2, 2), date(2026, 3, 30))],
        None,
    )
    assert spans(date(2025, 12, 8), date(2026, 12, 7))[1] == (date(2026, 1, 1), date(2026, 11, 1))


@pytest.fixture
def quarter(client, section, pen_name):
    """Readers on days of January (a loose day of the period), February and March (whole
    months), and April (loose days again), flushed late as a timer would; two pen names."""
    other_pen = PenNameFactory(name="Minh Anh")
    with at(2026, 1, 2, 8):
        first = ArticlePageFactory(parent=section, title="Tin tháng Giêng", pen_names=[pen_name])
        second = ArticlePageFactory(
            parent=section,
            title="Phóng sự hai bút danh",
            pen_names=[pen_name, other_pen, pen_name],  # one pen name twice: counted once
        )
    days = {
        (2026, 1, 20): [(first, VN[0]), (second, VN[1])],
        (2026, 2, 3): [(first, VN[0]), (first, US), (second, GB)],
        (2026, 2, 27): [(second, VN[0]), (second, VN[2])],
        (2026, 3, 15): [(first, VN[1]), (second, US)],
        (2026, 4, 2): [(first, GB)],
    }
    for day, readers in days.items():
        with at(*day, 10):
            for story, address in readers:
                beacon(client, story, address)
            counting.flush()
    return first, second, other_pen


def test_whole_months_show_what_their_days_add_up_to(quarter, pen_name):
    first, second, other_pen = quarter
    for month, (views,) in ((date(2026, 2, 1), (5,)), (date(2026, 3, 1), (2,))):
        assert StoryMonth.objects.filter(month=month).aggregate(v=Sum("views"))["v"] == views
        assert (
            MonthBreakdown.objects.filter(month=month, dimension="all").aggregate(v=Sum("views"))[
                "v"
            ]
            == views
        )
    period = (date(2026, 1, 15), date(2026, 4, 10))  # loose days + February and March
    with at(2026, 4, 20, 9):
        totals = stats.totals(stats.Scope(), *period)
        top = stats.top_stories(stats.Scope(), *period)
        parts = stats.breakdowns(stats.Scope(), *period)
        made = report.build(report.Period(*period))
    days = StoryDay.objects.filter(day__gte=period[0], day__lte=period[1])
    assert totals["all"]["views"] == days.aggregate(v=Sum("views"))["v"] == 10
    assert [(s["id"], s["views"]) for s in top["views"]] == [(second.pk, 5), (first.pk, 5)]
    assert dict((name, v) for name, v, _ in parts["country"]) == {
        "Việt Nam": 6,
        "Hoa Kỳ": 2,
        "Anh": 2,
    }
    assert [(p["name"], p["views"]) for p in top["pens"]["views"]] == [
        (pen_name.name, 10),  # both stories, the one it signs twice once
        (other_pen.name, 5),
    ]
    vietnamese = made["editions"][0]
    assert vietnamese["views"] == 10 and vietnamese["abroad_views"] == 4
    assert [m[1] for m in vietnamese["monthly"]] == [2, 5, 2, 1]


def test_pen_names_on_the_dashboard_with_their_chart_and_csv(quarter, pen_name):
    chief = client_for(UserFactory(is_superuser=True))
    with at(2026, 4, 2, 12):
        html = chief.get("/admin/ban-doc/?tu=01/01/2026&den=02/04/2026").content.decode()
        rows = list(
            csv.reader(
                io.StringIO(
                    chief.get(
                        "/admin/ban-doc/?tu=01/01/2026&den=02/04/2026&bang=but-danh"
                    ).content.decode("utf-8-sig")
                )
            )
        )
    assert "Bút danh được đọc nhiều" in html and "Lượt đọc theo bút danh" in html  # svg title
    assert "Bút danh được đọc lâu nhất" in html
    assert rows[0][:3] == ["Bút danh", "Lượt đọc", "Người đọc"]
    assert rows[1][:2] == [pen_name.name, "10"] and rows[2][:2] == ["Minh Anh", "5"]


def test_a_second_flush_of_a_day_keeps_the_story_in_its_section(client, home, story, section):
    other = SectionPageFactory(parent=home, title="Thể thao", slug="the-thao")
    beacon(client, story, VN[0])
    counting.flush()
    beacon(client, story, VN[1])
    counting.flush()
    day = StoryDay.objects.get(article=story)
    assert (day.views, day.section_id) == (2, section.pk)
    month = StoryMonth.objects.get(article=story)
    assert (month.views, month.section_id) == (2, section.pk)
    today = timezone.localdate()
    mine = stats.Scope([section.pk], [section.path])
    assert [s["id"] for s in stats.top_stories(mine, today, today)["views"]] == [story.pk]
    assert stats.top_stories(stats.Scope([other.pk], [other.path]), today, today)["views"] == []


def pages(chief, story):
    for path in (
        "/admin/ban-doc/",
        "/admin/ban-doc/truc-tiep/",
        f"/admin/ban-doc/bai/{story.pk}/",
        "/admin/ban-doc/bao-cao-doi-ngoai/",
    ):
        assert chief.get(path).status_code == 200
    return chief.get("/admin/ban-doc/truc-tiep/").content.decode()


def test_reading_the_dashboard_writes_nothing(client, story, settings):
    """Without Redis a beacon is an event in the database at once: the live panel shows it,
    and no page rolls it up (the timer, the scheduler or the next beacons do)."""
    settings.REDIS_URL = ""
    chief = client_for(UserFactory(is_superuser=True))
    beacon(client, story, VN[0])
    panel = pages(chief, story)
    assert "data-live-views>1<" in panel and story.title in panel
    assert ReadEvent.objects.get().batch is None and not StoryDay.objects.exists()


@pytest.fixture
def redis_tally(settings, monkeypatch):
    yield from _redis_tally(settings, monkeypatch)


def test_live_now_shows_views_still_in_redis(client, story, redis_tally, monkeypatch):
    """With Redis a view waits there for the next flush: the live panel counts it (once: the
    same reader already counted in the database is not counted twice) and leaves it there."""
    chief = client_for(UserFactory(is_superuser=True))
    beacon(client, story, VN[0])
    counting.flush()
    monkeypatch.setattr(counting, "_next_flush", time.monotonic() + 3600)  # not the beacons' turn
    other = ArticlePageFactory(parent=story.get_parent(), title="Tin vừa đăng")
    beacon(client, other, VN[0])  # the same reader, another story
    beacon(client, story, VN[1])
    assert redis_tally.llen(counting.events_key()) == 2
    panel = pages(chief, story)
    live = stats.live(stats.Scope())
    assert "data-live-views>3<" in panel and "Tin vừa đăng" in panel
    assert live["visitors"] == 2
    assert {s[0]: s[2] for s in live["stories"]} == {story.pk: 2, other.pk: 1}
    assert redis_tally.llen(counting.events_key()) == 2 and ReadEvent.objects.count() == 1


def test_the_rollup_timer_works_out_past_days_before_an_editor_asks(client, story):
    """After the timer's rollup (flush_views) the dashboard's usual periods find their past
    days worked out: opening one then asks the database less than after the past days'
    rollups changed, and shows the same."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    chief = client_for(UserFactory(is_superuser=True))
    with time_machine.travel(timezone.now() - timedelta(days=1), tick=False):
        beacon(client, story, VN[0])
    call_command("flush_views", stdout=io.StringIO())
    for period in ("7-ngay", "30-ngay", "1-nam"):
        with CaptureQueriesContext(connection) as warm:
            warm_html = chief.get(f"/admin/ban-doc/?ky={period}&bang=bai-doc-nhieu").content
        counting.rollups_changed()  # a late flush: what was worked out is stale
        with CaptureQueriesContext(connection) as cold:
            cold_html = chief.get(f"/admin/ban-doc/?ky={period}&bang=bai-doc-nhieu").content
        assert len(warm) < len(cold) and warm_html == cold_html
        assert story.title in warm_html.decode("utf-8-sig")
        call_command("flush_views", stdout=io.StringIO())  # the next minute's timer


def test_months_are_rebuilt_for_a_story_moved_within_the_month(home, story, section):
    """A story moved to another section mid-month has days in both: its month is still one
    row (the rebuild after a bulk load, and migration readership/0004 on an existing paper,
    failed on the unique month-and-story constraint), with every day's views."""
    other = SectionPageFactory(parent=home, title="Thể thao", slug="the-thao")
    first, later = date(2026, 11, 3), date(2026, 11, 20)
    for day, where, views in ((first, section, 3), (later, other, 5)):
        StoryDay.objects.create(
            day=day, article=story, section_id=where.pk, edition="vi", views=views
        )
    counting.months_from_days()
    month = StoryMonth.objects.get(article=story)
    assert (month.month, month.views) == (date(2026, 11, 1), 8)
    assert month.section_id in {section.pk, other.pk}
