"""The events calendar in iCalendar: our export parses with the `icalendar` library and
re-imports to the same events (recurrence and Vietnamese text intact); a malformed file is
refused with a clear message and changes nothing; each desk's feed needs its secret token."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar

from tests.staff import client_for
from toasoan.planning import ics
from toasoan.planning.models import DeskFeed, Event

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
FIELDS = ("uid", "title", "description", "location", "start", "end", "all_day", "rrule")


def _events(section):
    Event.objects.create(
        title="Kỳ họp thứ 24 HĐND tỉnh Quảng Nam khóa X",
        description="Chất vấn về giải ngân vốn đầu tư công; đường ĐT609 qua Đại Lộc.",
        location="Hội trường Tỉnh ủy, Tam Kỳ",
        start=datetime(2026, 12, 9, 7, 30, tzinfo=VN),
        end=datetime(2026, 12, 9, 11, 30, tzinfo=VN),
        section=section,
    )
    Event.objects.create(
        title="Họp báo thường kỳ UBND tỉnh",
        location="Số 62 Hùng Vương, Tam Kỳ",
        start=datetime(2026, 12, 7, 14, 0, tzinfo=VN),
        end=datetime(2026, 12, 7, 15, 30, tzinfo=VN),
        rrule="FREQ=MONTHLY;BYDAY=1MO;COUNT=12",
    )
    Event.objects.create(
        title="Lễ hội Cầu Ngư Tam Thanh",
        description="Lễ tế cá Ông, đua thuyền, hát bả trạo.",
        location="Xã Tam Thanh, Tam Kỳ",
        start=datetime(2027, 3, 14, 0, 0, tzinfo=VN),
        all_day=True,
        rrule="FREQ=YEARLY",
    )


def _snapshot():
    return sorted(tuple(getattr(e, f) for f in FIELDS) for e in Event.objects.all())


def test_export_parses_and_reimports_to_the_same_events(newsroom):
    politics, _ = newsroom["sections"]
    _events(politics)
    before = _snapshot()
    data = ics.to_ical(Event.objects.all())
    parsed = Calendar.from_ical(data)
    vevents = parsed.walk("VEVENT")
    assert len(vevents) == 3
    summaries = {str(v["summary"]) for v in vevents}
    assert "Kỳ họp thứ 24 HĐND tỉnh Quảng Nam khóa X" in summaries
    rules = {v["summary"]: v.get("rrule") for v in vevents}
    assert rules["Họp báo thường kỳ UBND tỉnh"]["FREQ"] == ["MONTHLY"]
    festival = next(v for v in vevents if v["summary"] == "Lễ hội Cầu Ngư Tam Thanh")
    assert festival.decoded("dtstart") == date(2027, 3, 14)

    Event.objects.all().delete()
    added, updated = ics.import_ical(data)
    assert (added, updated) == (3, 0)
    assert _snapshot() == before
    assert {e.rrule for e in Event.objects.all()} == {
        "",
        "FREQ=MONTHLY;COUNT=12;BYDAY=1MO",
        "FREQ=YEARLY",
    }
    # Importing the same file again updates, adds nothing.
    assert ics.import_ical(data) == (0, 3)


def test_rrule_means_the_same_after_the_round_trip(newsroom):
    from dateutil.rrule import rrulestr

    _events(None)
    original = Event.objects.get(title="Họp báo thường kỳ UBND tỉnh")
    first = list(rrulestr(original.rrule, dtstart=original.start))
    data = ics.to_ical(Event.objects.all())
    Event.objects.all().delete()
    ics.import_ical(data)
    again = Event.objects.get(title="Họp báo thường kỳ UBND tỉnh")
    assert list(rrulestr(again.rrule, dtstart=again.start)) == first
    assert len(first) == 12


BROKEN = {
    "not a calendar": b"Xin chao, day khong phai lich.",
    "unterminated": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Hop\r\n",
    "bad date": (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a@b\r\n"
        "SUMMARY:Họp giao ban\r\nDTSTART:2026-13-45\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode(),
    "no start": (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a@b\r\n"
        "SUMMARY:Họp giao ban\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode(),
    "no events": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nEND:VCALENDAR\r\n",
    "not utf-8": b"BEGIN:VCALENDAR\r\nSUMMARY:H\xe9\xff\r\nEND:VCALENDAR\r\n",
}


@pytest.mark.parametrize("name", BROKEN)
def test_a_malformed_file_is_refused_and_changes_nothing(newsroom, people, name):
    _events(None)
    good = ics.to_ical(Event.objects.filter(title__startswith="Lễ hội"))
    before = _snapshot()
    # A good event first, then the broken part: nothing at all is imported.
    with pytest.raises(ics.CalendarError):
        ics.import_ical(BROKEN[name])
    client = client_for(people["tkts"])
    upload = SimpleUploadedFile("lich.ics", BROKEN[name], content_type="text/calendar")
    response = client.post("/admin/ke-hoach/su-kien/nhap/", {"file": upload}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Không có gì thay đổi." in html
    assert _snapshot() == before
    assert good  # the valid export stayed importable


def test_one_bad_event_among_good_ones_imports_nothing(newsroom):
    _events(None)
    data = ics.to_ical(Event.objects.all()).decode()
    Event.objects.all().delete()
    broken = data.replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\r\nUID:x@y\r\nSUMMARY:Hỏng\r\n"
        "DTSTART:khong-phai-ngay\r\nEND:VEVENT\r\nEND:VCALENDAR",
    )
    with pytest.raises(ics.CalendarError):
        ics.import_ical(broken.encode())
    assert not Event.objects.exists()


def test_import_through_the_screen_and_the_desk_feed(newsroom, people):
    politics, economy = newsroom["sections"]
    _events(politics)
    Event.objects.create(
        title="Hội nghị xúc tiến đầu tư",
        start=datetime(2026, 12, 10, 8, 0, tzinfo=VN),
        section=economy,
    )
    data = ics.to_ical(Event.objects.all())
    Event.objects.all().delete()
    client = client_for(people["btv"])
    upload = SimpleUploadedFile("lich.ics", data, content_type="text/calendar")
    response = client.post(
        "/admin/ke-hoach/su-kien/nhap/", {"file": upload, "section": politics.pk}, follow=True
    )
    assert "Đã nhập lịch: 4 sự kiện mới" in response.content.decode()
    # The Thời sự desk's page shows its feed address; the feed answers without sign-in.
    html = client.get("/admin/ke-hoach/su-kien/").content.decode()
    feed = DeskFeed.objects.get(desk__name="Ban Thời sự")
    assert f"/lich/{feed.token}.ics" in html and "Ban Kinh tế" not in html
    answer = client_for(people["ctv"]).get(f"/lich/{feed.token}.ics")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/calendar")
    titles = {str(v["summary"]) for v in Calendar.from_ical(answer.content).walk("VEVENT")}
    assert "Kỳ họp thứ 24 HĐND tỉnh Quảng Nam khóa X" in titles
    assert client_for(people["ctv"]).get("/lich/doan-bua.ics").status_code == 404
    old = feed.token
    client.post(f"/admin/ke-hoach/su-kien/dia-chi/{feed.pk}/doi/")
    feed.refresh_from_db()
    assert feed.token != old and client.get(f"/lich/{old}.ics").status_code == 404
    # Reporters neither import nor export.
    upload = SimpleUploadedFile("lich.ics", data, content_type="text/calendar")
    assert (
        client_for(people["pv"]).post("/admin/ke-hoach/su-kien/nhap/", {"file": upload}).status_code
        == 403
    )


def test_files_without_uids_from_two_desks_keep_both_events(newsroom):
    def one_event(title: str) -> bytes:
        return (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Sở//VN\r\nBEGIN:VEVENT\r\n"
            f"SUMMARY:{title}\r\nDTSTART:20261210T080000\r\nDTEND:20261210T100000\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n"
        ).encode()

    assert ics.import_ical(one_event("Họp báo Sở Y tế")) == (1, 0)
    assert ics.import_ical(one_event("Kỳ họp HĐND tỉnh")) == (1, 0)  # not "updated"
    assert ics.import_ical(one_event("Kỳ họp HĐND tỉnh")) == (0, 1)  # the same file again
    assert sorted(Event.objects.values_list("title", flat=True)) == [
        "Họp báo Sở Y tế",
        "Kỳ họp HĐND tỉnh",
    ]
