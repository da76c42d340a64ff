"""Text saved NFC, and what counts as a content change: publishing, unpublishing, moving,
deleting a page, adding or lifting a view restriction, editing a site, a locale or the paper's
settings. (Other apps call `changes.content_changed()` themselves: comments, polls, imports,
editions' mastheads.)

All but a story's own change also change the frame of every page (`changes.framed`): a page
model whose changes show on no other page's frame says so with `changes_frame = False`."""

import copy

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .changes import content_changed, front_caches, public_urls
from .models import PaperSettings
from .text import tidy_text_fields


def _page_saving(sender, instance, update_fields=None, **kwargs) -> None:
    """Remember the URL a page is leaving (a new title gives a story a new slug): the front
    caches must drop the old address too. Only when purging is configured."""
    if not isinstance(instance, Page) or not instance.pk or not front_caches():
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


def _frames(page: Page) -> bool:
    """Whether a change of `page` changes the frame: a section, a home, any page whose model
    does not say otherwise."""
    return getattr(page.specific_class or type(page), "changes_frame", True)


def _page_changed(sender, instance, **kwargs) -> None:
    old_urls = getattr(instance, "_delivery_old_urls", ())
    content_changed([instance], urls=old_urls, frame=_frames(instance))


def _page_moved(sender, instance, parent_page_before=None, url_path_before=None, **kwargs):
    before = [parent_page_before] if parent_page_before is not None else []
    content_changed([instance, *before], frame=_frames(instance))


def _page_deleting(sender, instance, **kwargs) -> None:
    # The URLs must be read before the row goes; the bump itself follows the delete.
    if isinstance(instance, Page) and front_caches():
        instance._delivery_urls = public_urls(instance)


def _page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        content_changed(urls=getattr(instance, "_delivery_urls", ()), frame=_frames(instance))


def _restriction_changed(sender, instance, **kwargs) -> None:
    content_changed(Page.objects.filter(pk=instance.page_id), frame=True)


def _site_changed(sender, **kwargs) -> None:
    """A site, a locale or the paper's settings: on every page, and kept in each worker's
    memory (changes.framed)."""
    if sender is PaperSettings and kwargs.get("created"):
        return  # the row Wagtail creates on first read holds the defaults pages already show
    content_changed(frame=True)


def _nfc_on_the_way_in(sender, instance, **kwargs) -> None:
    """Every text our models store is NFC and trimmed, whoever saves it (forms, imports, the
    shell)."""
    if sender.__module__.startswith("toasoan."):
        tidy_text_fields(instance)


def connect() -> None:
    pre_save.connect(_nfc_on_the_way_in, dispatch_uid="text-nfc")
    pre_save.connect(_page_saving, dispatch_uid="changes-saving")
    page_published.connect(_page_changed, dispatch_uid="changes-published")
    page_unpublished.connect(_page_changed, dispatch_uid="changes-unpublished")
    post_page_move.connect(_page_moved, dispatch_uid="changes-moved")
    pre_delete.connect(_page_deleting, dispatch_uid="changes-deleting")
    post_delete.connect(_page_deleted, dispatch_uid="changes-deleted")
    for model in (Site, Locale, PaperSettings):
        for signal in (post_save, post_delete):
            signal.connect(
                _site_changed,
                sender=model,
                dispatch_uid=f"changes-site-{model._meta.label}-{signal!r}",
            )
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"changes-restriction-{signal!r}",
        )
