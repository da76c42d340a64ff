"""The two beacons a story page sends (static/readership/beacon.js): a view once the page has
loaded, then its engaged time and scroll depth. Both answer 204 at once whatever happens:
a reader's page never waits on counting, and nothing here sets a cookie.

In production these are answered before Django, by door.BeaconDoor (toasoan/wsgi.py); these
views answer them wherever that door is not in front (tests, a bare WSGI handler), through
the same `door.answer`."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .door import answer


@csrf_exempt  # a view beacon changes nothing of the reader's; sendBeacon cannot send a token
@never_cache
@require_POST
def beacon(request: HttpRequest, article_id: int) -> HttpResponse:
    """A view, after the (cacheable) page has loaded: r = the page's referrer, q = its query."""
    answer(request.META, request.POST, article_id, False, request.get_host())
    return HttpResponse(status=204)


@csrf_exempt
@never_cache
@require_POST
def engagement(request: HttpRequest, article_id: int) -> HttpResponse:
    """Engaged seconds (s) and scroll depth gained (d) since the last report of this view;
    e = 1 on its first report, t = 1 when it first reached 75 % of the story."""
    answer(request.META, request.POST, article_id, True, request.get_host())
    return HttpResponse(status=204)
