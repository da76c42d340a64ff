"""The two beacons a story page sends (static/readership/beacon.js): a view once the page has
loaded, then its engaged time and scroll depth. Both answer 204 at once whatever happens:
a reader's page never waits on counting, and nothing here sets a cookie."""

import logging

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .counting import record_engagement, record_view
from .visitors import is_bot, refuses_tracking

log = logging.getLogger(__name__)


def _number(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, "0")[:6])
    except ValueError:
        return 0


def _counted(request: HttpRequest) -> bool:
    return not is_bot(request) and not refuses_tracking(request)


@csrf_exempt  # a view beacon changes nothing of the reader's; sendBeacon cannot send a token
@never_cache
@require_POST
def beacon(request: HttpRequest, article_id: int) -> HttpResponse:
    """A view, after the (cacheable) page has loaded: r = the page's referrer, q = its query."""
    if _counted(request):
        try:
            record_view(request, article_id, request.POST.get("r", ""), request.POST.get("q", ""))
        except Exception:  # counting must never cost the reader an error
            log.exception("could not count a view of story %s", article_id)
    return HttpResponse(status=204)


@csrf_exempt
@never_cache
@require_POST
def engagement(request: HttpRequest, article_id: int) -> HttpResponse:
    """Engaged seconds (s) and scroll depth gained (d) since the last report of this view;
    e = 1 on its first report, t = 1 when it first reached 75 % of the story."""
    if _counted(request):
        try:
            record_engagement(
                article_id,
                _number(request, "s"),
                _number(request, "d"),
                request.POST.get("e") == "1",
                request.POST.get("t") == "1",
            )
        except Exception:
            log.exception("could not count reading time of story %s", article_id)
    return HttpResponse(status=204)
