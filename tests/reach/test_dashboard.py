"""The dashboard: "live now" counted minute by minute, the CSV of any table, a story's page."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import ArticlePageFactory, UserFactory
from tests.reach.conftest import beacon
from tests.staff import client_for
from toasoan.reach import stats
from toasoan.readership import counting

pytestmark = pytest.mark.django_db


@pytest.fixture
def half_hour(client, section, story):
    """Readers of the last half hour: three 20 minutes ago (two of one story), one 2 minutes
    ago; one 40 minutes ago, outside the window."""
    other = ArticlePageFactory(parent=section, title="Bài đọc ít hơn")
    now = timezone.now().replace(second=30, microsecond=0)
    with time_machine.travel(now - timedelta(minutes=40), tick=False):
        beacon(client, story, "1.52.0.9")
    with time_machine.travel(now - timedelta(minutes=20), tick=False):
        beacon(client, story, "81.2.69.142")
        beacon(client, story, "1.52.0.1")
        beacon(client, other, "1.52.0.1")
    with time_machine.travel(now - timedelta(minutes=2), tick=False):
        beacon(client, other, "8.8.8.8", referrer="https://www.google.com/")
    counting.flush()
    return now, story, other


def test_live_now_counts_each_minute(half_hour):
    now, story, other = half_hour
    live = stats.live(stats.Scope(), now=now)
    assert len(live["per_minute"]) == 30 and live["total"] == 4
    assert live["per_minute"][29 - 20] == 3 and live["per_minute"][29 - 2] == 1
    assert sum(live["per_minute"]) == 4
    assert live["visitors"] == 3  # 1.52.0.1 read two stories
    assert live["stories"] == [(other.pk, other.title, 2), (story.pk, story.title, 2)]
    assert dict(live["countries"]) == {"Việt Nam": 2, "Anh": 1, "Hoa Kỳ": 1}
    assert dict(live["sources"]) == {"Trực tiếp": 3, "Tìm kiếm": 1}


def test_dashboard_tables_come_as_csv(half_hour):
    now, story, other = half_hour
    chief = client_for(UserFactory(is_superuser=True))
    html = chief.get("/admin/ban-doc/").content.decode()
    assert "Đang đọc: 30 phút qua" in html and "Bài đọc ít hơn" in html
    panel = chief.get("/admin/ban-doc/truc-tiep/").content.decode()
    assert "data-live-views>4<" in panel
    response = chief.get("/admin/ban-doc/?bang=country")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Quốc gia", "Lượt đọc", "Người đọc"]
    assert ["Việt Nam", "3", "2"] in rows and ["Anh", "1", "1"] in rows
    top = list(
        csv.reader(
            io.StringIO(chief.get("/admin/ban-doc/?bang=bai-doc-nhieu").content.decode("utf-8-sig"))
        )
    )
    assert top[1][:3] == [story.title, "vi", "3"]  # the story's title, not its record
    story_csv = chief.get(f"/admin/ban-doc/bai/{other.pk}/?bang=host").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(story_csv)))[1:] == [
        ["(không có)", "1", "1"],
        ["google", "1", "1"],
    ]
    assert chief.get("/admin/ban-doc/?bang=khong-co").status_code == 404


def test_top_stories_keep_the_past_and_add_today(client, section, story):
    """The past days' top lists are kept; today's readers are added to them exactly, and a
    late view of a past day is seen at once."""
    from toasoan.readership.models import StoryDay

    today = timezone.localdate()
    second = ArticlePageFactory(parent=section, title="Bài nhì hôm qua")
    third = ArticlePageFactory(parent=section, title="Bài ba, đọc nhiều hôm nay")
    for article, back, views in ((story, 3, 10), (second, 2, 8), (third, 3, 5)):
        StoryDay.objects.create(
            article=article, day=today - timedelta(days=back), views=views, engaged_seconds=views
        )
    week = (today - timedelta(days=6), today)

    def top(order="views"):
        return [(s["id"], s["views"]) for s in stats.top_stories(stats.Scope(), *week, 2)[order]]

    assert top() == [(story.pk, 10), (second.pk, 8)]
    StoryDay.objects.create(article=third, day=today, views=6, engaged_seconds=60)
    assert top() == [(third.pk, 11), (story.pk, 10)]  # not in the kept list: read today
    assert top("engaged") == [(third.pk, 11), (story.pk, 10)]
    with time_machine.travel(timezone.now() - timedelta(days=1), tick=False):
        for n in range(4):
            beacon(client, second, f"1.52.1.{n + 1}")
    counting.flush()  # a late flush of yesterday's views
    assert top() == [(second.pk, 12), (third.pk, 11)]
