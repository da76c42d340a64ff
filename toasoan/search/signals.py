"""Search follows publishing: Wagtail's signals, received here (newsroom knows nothing of us)."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from toasoan.core import changes
from toasoan.newsroom.models import ArticlePage

from .indexing import refresh_paths, remove_story
from .models import SearchSynonym
from .tasks import index_published


def _published(sender, instance, **kwargs) -> None:
    if isinstance(instance, ArticlePage):
        # A task: inline by default, else a row written in the publish's own transaction.
        index_published.enqueue(instance.pk)


def _unpublished(sender, instance, **kwargs) -> None:
    if isinstance(instance, ArticlePage):
        remove_story(instance.pk)


def _moved(sender, instance, **kwargs) -> None:
    refresh_paths(instance.pk)


def _words_changed(sender, **kwargs) -> None:
    """A synonym edited: every worker reads the list again (it is kept per generation)."""
    changes.bump()


def connect() -> None:
    post_save.connect(_words_changed, sender=SearchSynonym, dispatch_uid="search-words-saved")
    post_delete.connect(_words_changed, sender=SearchSynonym, dispatch_uid="search-words-gone")
    page_published.connect(_published, dispatch_uid="search-index-published")
    page_unpublished.connect(_unpublished, dispatch_uid="search-index-unpublished")
    post_page_move.connect(_moved, dispatch_uid="search-index-moved")
