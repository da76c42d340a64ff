"""Search follows publishing: Wagtail's signals, received here (newsroom knows nothing of us)."""

from wagtail.signals import page_published, page_unpublished, post_page_move

from toasoan.newsroom.models import ArticlePage

from .indexing import refresh_paths, remove_story
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


def connect() -> None:
    page_published.connect(_published, dispatch_uid="search-index-published")
    page_unpublished.connect(_unpublished, dispatch_uid="search-index-unpublished")
    post_page_move.connect(_moved, dispatch_uid="search-index-moved")
