"""A poll's question, choices or closing change the story page that shows it."""

from django.db.models.signals import post_delete, post_save

from toasoan.core.changes import content_changed
from toasoan.newsroom.models import ArticlePage

from .models import Choice, Poll
from .voting import forget_story_poll


def _story_changed(article_id: int | None) -> None:
    forget_story_poll(article_id)
    if article_id:
        content_changed(ArticlePage.objects.filter(pk=article_id))


def _poll_changed(sender, instance, **kwargs) -> None:
    _story_changed(instance.article_id)


def _choice_changed(sender, instance, **kwargs) -> None:
    poll = Poll.objects.filter(pk=instance.poll_id).only("article_id").first()
    if poll:
        _story_changed(poll.article_id)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_poll_changed, sender=Poll, dispatch_uid=f"polls-{signal!r}")
        signal.connect(_choice_changed, sender=Choice, dispatch_uid=f"choices-{signal!r}")
