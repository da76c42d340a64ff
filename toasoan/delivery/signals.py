"""What counts as a content change: publishing, unpublishing, moving, deleting a page, and
adding or lifting a view restriction. (Comments, polls and imports call
`changes.content_changed()` themselves.)"""

import copy

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import purge
from .changes import content_changed


def _page_saving(sender, instance, update_fields=None, **kwargs) -> None:
    """Remember the URL a page is leaving (a new title gives a story a new slug): the front
    caches must drop the old address too. Only when purging is configured."""
    if not isinstance(instance, Page) or not instance.pk or not purge.enabled():
        return
    if update_fields is not None and not {"slug", "url_path"} & set(update_fields):
        return
    before = Page.objects.filter(pk=instance.pk).values("slug", "url_path").first()
    if before and (before["url_path"], before["slug"]) != (instance.url_path, instance.slug):
        old = copy.copy(instance)
        old.slug, old.url_path = before["slug"], before["url_path"]
        parts = old.get_url_parts()
        if parts and parts[2] is not None:
            instance._delivery_old_urls = {parts[1] + parts[2]}


def _page_changed(sender, instance, **kwargs) -> None:
    content_changed([instance], urls=getattr(instance, "_delivery_old_urls", ()))


def _page_moved(sender, instance, parent_page_before=None, url_path_before=None, **kwargs):
    before = [parent_page_before] if parent_page_before is not None else []
    content_changed([instance, *before])


def _page_deleting(sender, instance, **kwargs) -> None:
    # The URLs must be read before the row goes; the bump itself follows the delete.
    if isinstance(instance, Page) and purge.enabled():
        instance._delivery_urls = purge.urls_for(instance)


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        content_changed(urls=getattr(instance, "_delivery_urls", ()))


def _restriction_changed(sender, instance, **kwargs) -> None:
    content_changed(Page.objects.filter(pk=instance.page_id))


def _masthead_changed(sender, created=False, **kwargs) -> None:
    """A site, the paper's settings or an edition's masthead: on every page, and kept in
    each worker's memory (changes.remembered). Not the settings row Wagtail creates on first
    read: it holds the defaults the pages already show."""
    if not (created and sender._meta.label == "core.PaperSettings"):
        content_changed()


def connect() -> None:
    pre_save.connect(_page_saving, dispatch_uid="delivery-saving")
    page_published.connect(_page_changed, dispatch_uid="delivery-published")
    page_unpublished.connect(_page_changed, dispatch_uid="delivery-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="delivery-moved")
    pre_delete.connect(_page_deleting, dispatch_uid="delivery-deleting")
    post_delete.connect(_page_deleted, dispatch_uid="delivery-deleted")
    for label in ("wagtailcore.Site", "core.PaperSettings", "editions.EditionMasthead"):
        for signal in (post_save, post_delete):
            signal.connect(
                _masthead_changed,
                sender=apps.get_model(label),
                dispatch_uid=f"delivery-masthead-{label}-{signal!r}",
            )
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"delivery-restriction-{signal!r}",
        )
