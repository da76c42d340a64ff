"""Who moderates reader comments: the staff group newsroom/roles.py creates for them.

Its own small module, so both the moderation rules and the background email read it
without importing each other.
"""

from django.contrib.auth import get_user_model

MODERATOR_GROUP = "Kiểm duyệt bình luận"


def moderator_emails() -> list[str]:
    """The addresses of active moderators that have one."""
    return list(
        get_user_model()
        .objects.filter(groups__name=MODERATOR_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
