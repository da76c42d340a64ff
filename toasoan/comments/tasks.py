"""Background work for comments (django-tasks: in-process by default)."""

from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from toasoan.core.addresses import public_url
from toasoan.core.text import short_datetime

from .models import Comment
from .moderators import moderator_emails


@task()
def notify_held_comment(comment_id: int) -> int:
    """Tell the moderators, in a plain-text email, that a comment was held for a closer look.

    Plain text only (no HTML part), so whatever a reader typed stays inert in mail clients.
    """
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None:
        return 0
    recipients = moderator_emails()
    if not recipients:
        return 0
    edit_url = public_url(reverse("wagtailsnippets_comments_comment:edit", args=[comment.pk]))
    body = (
        f"Một bình luận được giữ lại để xem kỹ ({comment.flag}).\n\n"
        f"Bài viết: {comment.article.title}\n"
        f"Người gửi: {comment.name}\n"
        f"Lúc: {short_datetime(comment.created_at)}\n\n"
        f"{comment.text}\n\n"
        f"Duyệt tại: {edit_url}\n"
    )
    return send_mail(
        "[Bình luận] Cần xem kỹ: " + comment.article.title[:80],
        body,
        None,
        recipients,
    )
