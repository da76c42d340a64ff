"""Keep translation memory applied when translations start and when their source is synced;
an edition's masthead is on every page of the edition: a content change (toasoan.core.changes).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail_localize.models import Translation, TranslationSource

from toasoan.core.changes import content_changed

from .memory import fill_from_memory
from .models import EditionMasthead


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


def _masthead_changed(sender, **kwargs) -> None:
    content_changed(frame=True)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(
            _masthead_changed, sender=EditionMasthead, dispatch_uid=f"editions-masthead-{signal!r}"
        )
    post_save.connect(_translation_saved, sender=Translation, dispatch_uid="editions-memory")
    post_save.connect(_source_saved, sender=TranslationSource, dispatch_uid="editions-sync")
