"""Keep translation memory applied when translations start and when their source is synced;
forget cached version links when a page changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail_localize.models import Translation, TranslationSource

from .links import forget_versions
from .memory import fill_from_memory


def _translation_saved(sender, instance: Translation, created: bool, **kwargs) -> None:
    if instance.enabled:
        fill_from_memory(instance)


def _source_saved(sender, instance: TranslationSource, created: bool, **kwargs) -> None:
    # The sync saves the source first and refreshes its segments after: fill once it is done.
    if not created:
        source_id = instance.pk

        def fill() -> None:
            for translation in Translation.objects.filter(source_id=source_id, enabled=True):
                fill_from_memory(translation)

        transaction.on_commit(fill)


def _versions_changed(sender, instance=None, **kwargs) -> None:
    if isinstance(instance, Page) and instance.translation_key:
        forget_versions(instance.translation_key)


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_versions_changed, dispatch_uid=f"editions-versions-{signal!r}")
    post_delete.connect(_versions_changed, dispatch_uid="editions-versions-delete")
    post_save.connect(_translation_saved, sender=Translation, dispatch_uid="editions-memory")
    post_save.connect(_source_saved, sender=TranslationSource, dispatch_uid="editions-sync")
