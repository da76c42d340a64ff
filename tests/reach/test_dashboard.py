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
