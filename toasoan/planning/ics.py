"""The events calendar in iCalendar (RFC 5545): export, per-desk feeds and `.ics` import.

An import is all or nothing: a file that does not parse, holds no event, or has one event we
cannot read changes nothing, and the message says which."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from toasoan.core.text import nfc, without_controls
from toasoan.newsroom.models import SectionPage

from .models import Event, normal_rrule

PRODID = "-//Toà Soạn//Lịch sự kiện//VI"
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_EVENTS = 2000


class CalendarError(Exception):
    """A calendar file refused; the message says why, in Vietnamese."""


def desk_events(section: SectionPage | None) -> QuerySet[Event]:
    """A desk's calendar: its section's events and the newsroom-wide ones."""
    if section is None:
        return Event.objects.all()
    return Event.objects.filter(Q(section=section) | Q(section__isnull=True))


def _moment(value: datetime, all_day: bool):
    if all_day:
        return timezone.localtime(value).date()
    return value.astimezone(UTC)


def to_ical(events, name: str = "Lịch sự kiện") -> bytes:
    # icalendar is imported where it is used: not by every web worker (docs/architecture.md)
    from icalendar import Calendar, vRecur
    from icalendar import Event as VEvent

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        item = VEvent()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        item.add("summary", event.title)
        item.add("dtstart", _moment(event.start, event.all_day))
        if event.end:
            item.add("dtend", _moment(event.end, event.all_day))
        if event.location:
            item.add("location", event.location)
        if event.description:
            item.add("description", event.description)
        if event.rrule:
            item.add("rrule", vRecur.from_ical(event.rrule))
        cal.add_component(item)
    return cal.to_ical()


@dataclass
class Parsed:
    uid: str
    title: str
    description: str
    location: str
    start: datetime
    end: datetime | None
    all_day: bool
    rrule: str


def _aware(value, what: str, n: int) -> tuple[datetime, bool]:
    if isinstance(value, datetime):
        if timezone.is_naive(value):  # floating time: the paper's own time zone
            value = timezone.make_aware(value)
        return value, False
    if isinstance(value, date):
        return timezone.make_aware(datetime.combine(value, time())), True
    raise CalendarError(f"Sự kiện thứ {n}: {what} không phải ngày giờ.")


def _text(component, key: str, limit: int) -> str:
    value = component.get(key)
    return nfc(without_controls(str(value))).strip()[:limit] if value is not None else ""


def parse(data: bytes) -> list[Parsed]:
    """Every VEVENT of the file, checked; raises CalendarError for anything we cannot use."""
    from icalendar import Calendar  # not in every web worker (docs/architecture.md)

    if len(data) > MAX_IMPORT_BYTES:
        raise CalendarError("Tệp lịch quá lớn (tối đa 2 MB).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CalendarError("Tệp lịch không phải văn bản UTF-8.") from None
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise CalendarError("Đây không phải tệp iCalendar (.ics): thiếu BEGIN:VCALENDAR.")
    try:
        cal = Calendar.from_ical(text)
    except Exception as error:  # icalendar raises ValueError and others on broken input
        raise CalendarError(f"Tệp lịch hỏng, không đọc được: {error}") from None
    if getattr(cal, "errors", None):
        raise CalendarError(f"Tệp lịch hỏng: {cal.errors[0][1]}")
    items = cal.walk("VEVENT")
    if not items:
        raise CalendarError("Tệp lịch không có sự kiện nào (VEVENT).")
    if len(items) > MAX_IMPORT_EVENTS:
        raise CalendarError(f"Tệp lịch có quá {MAX_IMPORT_EVENTS} sự kiện.")
    parsed = []
    for n, item in enumerate(items, start=1):
        for problem in getattr(item, "errors", []):
            raise CalendarError(f"Sự kiện thứ {n} hỏng ({problem[0]}): {problem[1]}")
        title = _text(item, "summary", 255)
        if not title:
            raise CalendarError(f"Sự kiện thứ {n} không có tên (SUMMARY).")
        if item.get("dtstart") is None:
            raise CalendarError(f"Sự kiện “{title}” không có thời điểm bắt đầu (DTSTART).")
        start, all_day = _aware(item.decoded("dtstart"), "DTSTART", n)
        end = None
        if item.get("dtend") is not None:
            end, _ = _aware(item.decoded("dtend"), "DTEND", n)
            if end < start:
                raise CalendarError(f"Sự kiện “{title}” kết thúc trước khi bắt đầu.")
        elif item.get("duration") is not None:
            duration = item.decoded("duration")
            if not isinstance(duration, timedelta):
                raise CalendarError(f"Sự kiện “{title}”: DURATION không đọc được.")
            end = start + duration
        rrule = ""
        if item.get("rrule") is not None:
            rule = item.get("rrule")
            rule = rule[0] if isinstance(rule, list) else rule
            try:
                rrule = normal_rrule(rule.to_ical().decode())
            except ValueError:
                raise CalendarError(f"Sự kiện “{title}”: quy tắc lặp (RRULE) hỏng.") from None
            if len(rrule) > 255:
                raise CalendarError(f"Sự kiện “{title}”: quy tắc lặp (RRULE) quá dài.")
        # No UID: one made from what the event is, not where it stands in its file (two
        # desks' files would share "the first event at 8:00" and overwrite each other).
        what = f"{start.isoformat()}|{title}|{_text(item, 'location', 255)}"
        uid = _text(item, "uid", 255) or f"{hashlib.sha256(what.encode()).hexdigest()[:24]}@nhap"
        parsed.append(
            Parsed(
                uid=uid,
                title=title,
                description=_text(item, "description", 5000),
                location=_text(item, "location", 255),
                start=start,
                end=end,
                all_day=all_day,
                rrule=rrule,
            )
        )
    return parsed


@transaction.atomic
def import_ical(data: bytes, section: SectionPage | None = None) -> tuple[int, int]:
    """Add the file's events (updating those already imported, by UID): (added, updated)."""
    added = updated = 0
    for item in parse(data):
        fields = {
            "title": item.title,
            "description": item.description,
            "location": item.location,
            "start": item.start,
            "end": item.end,
            "all_day": item.all_day,
            "rrule": item.rrule,
        }
        event = Event.objects.filter(uid=item.uid).first()
        if event is None:
            Event.objects.create(uid=item.uid, section=section, **fields)
            added += 1
        else:
            for key, value in fields.items():
                setattr(event, key, value)
            event.save()
            updated += 1
    return added, updated
