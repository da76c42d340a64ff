from django.db.models.signals import post_delete, post_save

from .models import ArticleCommentState, BannedWord, Comment
from .moderation import changed, forget_banned_words


def _comment_changed(sender, instance, **kwargs) -> None:
    changed(instance.article_id)


def _state_changed(sender, instance, **kwargs) -> None:
    changed(instance.pk)


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(_comment_changed, sender=Comment, dispatch_uid=f"comments-{signal!r}")
        signal.connect(_state_changed, sender=ArticleCommentState, dispatch_uid=f"cs-{signal!r}")
        signal.connect(forget_banned_words, sender=BannedWord, dispatch_uid=f"bw-{signal!r}")
