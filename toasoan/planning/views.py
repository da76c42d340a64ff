"""The desks' subscribable calendars: /lich/<token>.ics, no sign-in, the token is the key."""

from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache

from .access import plan_sections
from .ics import desk_events, to_ical
from .models import DeskFeed


@never_cache
def feed(request, token: str):
    desk_feed = DeskFeed.objects.select_related("desk").filter(token=token).first()
    if desk_feed is None:
        raise Http404
    title = desk_feed.desk.name.removeprefix("Ban ")
    section = plan_sections().filter(title=title).first()
    body = to_ical(desk_events(section), f"Lịch sự kiện – {desk_feed.desk.name}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response
