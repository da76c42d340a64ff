"""Everything under /api/ (docs/api.md)."""

from django.urls import path

from .views import api, index

urlpatterns = [
    path("api/", index, name="api-index"),
    path("api/", api.urls),
]
