from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .counting import record_view
from .visitors import is_bot, visitor_key


@csrf_exempt  # a view beacon changes nothing of the reader's; sendBeacon cannot send a token
@never_cache
@require_POST
def beacon(request: HttpRequest, article_id: int) -> HttpResponse:
    """`navigator.sendBeacon` target: counts a view after the (cacheable) page has loaded."""
    if not is_bot(request):
        record_view(article_id, visitor_key(request))
    return HttpResponse(status=204)
