"""Feeds, sitemaps and cached page metadata go stale the moment a story changes state."""

from django.db.models.signals import post_delete
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .freshness import bump


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(bump, dispatch_uid=f"syndication-bump-{id(signal)}")
    post_delete.connect(_deleted, dispatch_uid="syndication-bump-delete")


def _deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        bump()
