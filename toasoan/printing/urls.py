from django.urls import path, register_converter

from . import views


class DateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DateConverter, "isodate")

app_name = "printing_public"
# Search lives under /search/ (cached by its own rules, never as a whole page, which would
# drop `?q=`); the calendar's month is in the path for the same reason.
urlpatterns = [
    path("bao-in/", views.archive, name="archive"),
    path("bao-in/thang/<int:year>-<int:month>/", views.archive, name="month"),
    path("search/bao-in/", views.search, name="search"),
    path("bao-in/<isodate:day>/", views.issue, name="issue"),
]
