"""Everything under /api/ (docs/api.md)."""

from django.urls import path, re_path

from .views import api, index, unmatched

urlpatterns = [
    path("api/", index, name="api-index"),
    path("api/", api.urls),
    # Last: every other address under /api/ answers the API's JSON 404, not Django's HTML one.
    re_path(r"^api/", unmatched),
]
