"""Who does what on the live desk, given to the newsroom's role groups (newsroom.roles):
reporters write entries; section editors approve them and moderate Q&A questions; the
managing editor and the editors-in-chief also publish their own entries at once (the
trusted lane); the comment moderators moderate Q&A questions."""

from django.contrib.auth.models import Group, Permission

from toasoan.newsroom.roles import (
    CHIEF_EDITOR,
    CONTRIBUTOR,
    MANAGING_EDITOR,
    REPORTER,
    SECTION_EDITOR,
)

WRITE = ("add_liveentry", "view_liveentry")
APPROVE = (*WRITE, "approve_liveentry", "change_liveentry", "moderate_question")
TRUSTED = (*APPROVE, "publish_liveentry")
LIVE_ROLES = {
    CONTRIBUTOR: WRITE,
    REPORTER: WRITE,
    SECTION_EDITOR: APPROVE,
    MANAGING_EDITOR: TRUSTED,
    CHIEF_EDITOR: TRUSTED,
    "Kiểm duyệt bình luận": ("moderate_question",),
}


def grant_live_roles() -> None:
    """Add the live desk's permissions to the role groups that exist (idempotent)."""
    for name, codenames in LIVE_ROLES.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="live", codename__in=codenames)
            )
