"""Nhuận bút has no public pages: its staff screens live under /admin/nhuan-but/ and are
registered as Wagtail admin viewsets in `wagtail_hooks.py` (so Wagtail's admin login and
permission checks wrap them)."""

urlpatterns: list = []
