from django.db.models.signals import post_delete, post_save

from .models import Choice, Poll
from .voting import forget_story_poll


def _poll_changed(sender, instance, **kwargs) -> None:
    forget_story_poll(instance.article_id)


def _choice_changed(sender, instance, **kwargs) -> None:
    poll = Poll.objects.filter(pk=instance.poll_id).only("article_id").first()
    if poll:
        forget_story_poll(poll.article_id)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_poll_changed, sender=Poll, dispatch_uid=f"polls-{signal!r}")
        signal.connect(_choice_changed, sender=Choice, dispatch_uid=f"choices-{signal!r}")
