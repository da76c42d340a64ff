"""Newsroom roles as Django groups, with Wagtail page and photo permissions.

Least privilege: contributors and reporters add stories and edit only their own; section
editors and the managing editor edit; only the editor-in-chief and deputies publish.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page


@dataclass(frozen=True)
class Role:
    group: str
    title_en: str
    pages: tuple[str, ...] = ()
    photos: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()  # "app_label.codename"


ADMIN_ACCESS = "wagtailadmin.access_admin"
PHOTO_WORK = ("add_photo", "choose_image")
PHOTO_EDIT = ("add_photo", "choose_image", "change_photo")
VIEW_PEN_NAMES = "newsroom.view_penname"

ROLES = (
    Role("Cộng tác viên", "Contributor", ("add_page",), PHOTO_WORK, (ADMIN_ACCESS,)),
    Role("Phóng viên", "Reporter", ("add_page",), PHOTO_WORK, (ADMIN_ACCESS, VIEW_PEN_NAMES)),
    Role(
        "Biên tập viên",
        "Section editor",
        ("add_page", "change_page"),
        PHOTO_EDIT,
        (ADMIN_ACCESS, VIEW_PEN_NAMES),
    ),
    Role(
        "Thư ký tòa soạn",
        "Managing editor",
        ("add_page", "change_page", "lock_page"),
        PHOTO_EDIT,
        (ADMIN_ACCESS, VIEW_PEN_NAMES, "newsroom.add_penname", "newsroom.change_penname"),
    ),
    Role(
        "Tổng biên tập",
        "Editor-in-chief / deputy",
        ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
        PHOTO_EDIT,
        (ADMIN_ACCESS, VIEW_PEN_NAMES, "newsroom.add_penname", "newsroom.change_penname"),
    ),
    Role("Biên dịch viên", "Translator", ("add_page",), ("choose_image",), (ADMIN_ACCESS,)),
    Role("Kiểm duyệt bình luận", "Comment moderator", (), (), (ADMIN_ACCESS,)),
    Role("Quản trị", "Administrator", (), (), (ADMIN_ACCESS,)),
)


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def ensure_roles(home: Page) -> dict[str, Group]:
    """Create (or complete) every role's group with its permissions on `home`'s tree."""
    root_collection = Collection.get_first_root_node()
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.group)
        for codename in role.pages:
            GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=_permission(f"wagtailcore.{codename}")
            )
        for codename in role.photos:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=_permission(f"newsroom.{codename}"),
            )
        group.permissions.add(*[_permission(p) for p in role.extra])
        groups[role.group] = group
    return groups
