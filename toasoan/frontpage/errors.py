"""Error pages in the edition's language; the 500 page renders without touching the database."""

from django.conf import settings
from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader
from django.utils import translation


def not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


def server_error(request):
    code = translation.get_language() or settings.LANGUAGE_CODE
    home = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"  # the edition's home
    context = {"LANGUAGE_CODE": code, "home_url": home}
    return HttpResponseServerError(loader.get_template("500.html").render(context))
