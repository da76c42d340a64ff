"""Public address of the planning desk: each desk's calendar feed (its staff screens are
Wagtail admin views, registered in wagtail_hooks.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("lich/<str:token>.ics", views.feed, name="planning_feed"),
]
