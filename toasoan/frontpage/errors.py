"""Vietnamese error pages; the 500 page renders without touching the database."""

from django.http import HttpResponseNotFound, HttpResponseServerError
from django.template import loader


def not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


def server_error(request):
    return HttpResponseServerError(loader.get_template("500.html").render({}))
