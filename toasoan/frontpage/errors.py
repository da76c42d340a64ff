"""Error pages in the edition's language; the 500 and 503 pages render without touching the
database."""

import sys

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.utils import translation

from toasoan.core import breaker

RETRY_AFTER_SECONDS = 10


def not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


def server_error(request):
    """500 — or 503 with Retry-After while the database cannot be reached (a restart, a
    failover): the reader is told to come back, the operator's log gets one line for the
    outage (toasoan.core.breaker) instead of a traceback per request."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    home = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"  # the edition's home
    context = {"LANGUAGE_CODE": code, "home_url": home}
    if breaker.database_unreachable(sys.exc_info()[1]):
        context["retry_after"] = RETRY_AFTER_SECONDS
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        response._has_been_logged = True  # counted by the breaker, not logged per request
        return response
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def readers_not_found(get_response):
    """With DEBUG on (`make run`), Django answers a missing page with its English technical
    page, which also lists every URL pattern. Readers get the paper's own 404, as in
    production; signed-in staff keep the technical page to debug with."""

    def middleware(request):
        response = get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not _is_staff(getattr(request, "user", None))
        ):
            return not_found(request)
        return response

    return middleware


def _is_staff(user) -> bool:
    return user is not None and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
