"""Search follows publishing: Wagtail's signals, received here (newsroom knows nothing of us)."""

from wagtail.signals import page_published, page_unpublished, post_page_move

from toasoan.newsroom.models import ArticlePage

from .indexing import index_story, refresh_paths, remove_story


def _published(sender, instance, **kwargs) -> None:
    if isinstance(instance, ArticlePage):
        index_story(instance)


def _unpublished(sender, instance, **kwargs) -> None:
    if isinstance(instance, ArticlePage):
        remove_story(instance.pk)


def _moved(sender, instance, **kwargs) -> None:
    refresh_paths(instance.pk)


def connect() -> None:
    page_published.connect(_published, dispatch_uid="search-index-published")
    page_unpublished.connect(_unpublished, dispatch_uid="search-index-unpublished")
    post_page_move.connect(_moved, dispatch_uid="search-index-moved")
