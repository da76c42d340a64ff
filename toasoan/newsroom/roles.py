"""Newsroom roles as Django groups, with Wagtail page and photo permissions.

Least privilege: contributors and reporters add stories and edit only their own; section
editors edit their own sections' stories (through the desk groups of `workflow.py`); the
managing editor edits every section and puts the home page's "Nổi bật" live; only the
editor-in-chief and deputies publish, schedule, unpublish and delete published stories.
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
# Wagtail checks photo rights against wagtailimages.Image even for a custom image model.
PHOTO_WORK = ("add_image", "choose_image")
PHOTO_EDIT = ("add_image", "choose_image", "change_image")
VIEW_PEN_NAMES = "newsroom.view_penname"
AUDIT_LOG = "newsroom.view_audit_log"
# Sections (chuyên mục) shape the paper: created by administrators (superusers), never by the
# desks, though the desks' page rights would let Wagtail offer it.
ADD_SECTION = "newsroom.add_sectionpage"
MANAGE_USERS = ("auth.add_user", "auth.change_user", "auth.delete_user", "auth.view_user")
# The readers' apps are named as strings only: newsroom never imports them.
MODERATE_COMMENTS = (
    *("comments.change_comment", "comments.delete_comment", "comments.view_comment"),
    *(
        f"comments.{a}_{m}"
        for m in ("blockedsender", "bannedword")
        for a in ("add", "change", "delete", "view")
    ),
)
# The managing editor places stories in the home page's "Nổi bật" slots and puts the home page
# live (toasoan.frontpage.models.HomePagePermissions), without publishing stories.
PLACE_FEATURED = "frontpage.place_featured"
EDIT_POLLS = ("polls.add_poll", "polls.change_poll", "polls.delete_poll", "polls.view_poll")
# Editions: editors ask for a story's version in another edition and keep the termbase.
REQUEST_TRANSLATION = "wagtail_localize.submit_translation"
VIEW_TERMS = "editions.view_term"
EDIT_TERMS = (*(f"editions.{a}_term" for a in ("add", "change", "delete")), VIEW_TERMS)
# Nhuận bút: accounting reads and exports; the editor-in-chief also grades, locks and adjusts;
# administrators keep the regulation and the departments.
ROYALTIES_READ = (
    *("royalties.view_all_lines", "royalties.export_ledger"),
    *("royalties.view_regulation", "royalties.view_department"),
)
ROYALTIES_CHIEF = (
    *("royalties.grade_work", "royalties.lock_month", "royalties.add_adjustment"),
    *ROYALTIES_READ,
)
# Báo in (toasoan.printing): the managing editor plans issues and sends pages to print, the
# editor-in-chief also approves pages; section editors cut print versions of stories.
PRINT_CUT = "printing.cut_print_version"
PRINT_PLAN = ("printing.plan_issue", "printing.upload_pages", PRINT_CUT)
PRINT_CHIEF = (*PRINT_PLAN, "printing.approve_page")
# Kế hoạch đề tài (toasoan.planning): writers file ideas; section editors decide on their
# sections' ideas, assign and export; the managing editor and editor-in-chief on every section.
PLAN_FILE = "planning.add_idea"
PLAN_DESK = (
    *(PLAN_FILE, "planning.review_idea", "planning.export_plan"),
    *(f"planning.{a}_event" for a in ("add", "change", "delete", "view")),
)
PLAN_ALL = (*PLAN_DESK, "planning.see_all_ideas")
ROYALTIES_SETUP = tuple(
    f"royalties.{a}_{m}"
    for m in ("regulation", "department")
    for a in ("add", "change", "delete", "view")
)

CONTRIBUTOR = "Cộng tác viên"
REPORTER = "Phóng viên"
SECTION_EDITOR = "Biên tập viên"  # page rights come from each section's desk ("Ban …")
MANAGING_EDITOR = "Thư ký tòa soạn"
CHIEF_EDITOR = "Tổng biên tập"
ADMINISTRATOR = "Quản trị"
ACCOUNTANT = "Kế toán"

ROLES = (
    Role(CONTRIBUTOR, "Contributor", ("add_page",), PHOTO_WORK, (ADMIN_ACCESS, PLAN_FILE)),
    Role(
        REPORTER, "Reporter", ("add_page",), PHOTO_WORK, (ADMIN_ACCESS, VIEW_PEN_NAMES, PLAN_FILE)
    ),
    Role(
        SECTION_EDITOR,
        "Section editor",
        (),
        PHOTO_EDIT,
        (
            ADMIN_ACCESS,
            VIEW_PEN_NAMES,
            *EDIT_POLLS,
            REQUEST_TRANSLATION,
            *EDIT_TERMS,
            PRINT_CUT,
            *PLAN_DESK,
        ),
    ),
    Role(
        MANAGING_EDITOR,
        "Managing editor",
        ("add_page", "change_page", "lock_page"),
        PHOTO_EDIT,
        (
            ADMIN_ACCESS,
            VIEW_PEN_NAMES,
            "newsroom.add_penname",
            "newsroom.change_penname",
            PLACE_FEATURED,
            *EDIT_POLLS,
            REQUEST_TRANSLATION,
            *EDIT_TERMS,
            *PRINT_PLAN,
            *PLAN_ALL,
        ),
    ),
    Role(
        CHIEF_EDITOR,
        "Editor-in-chief / deputy",
        ("add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"),
        PHOTO_EDIT,
        (
            ADMIN_ACCESS,
            VIEW_PEN_NAMES,
            AUDIT_LOG,
            "newsroom.add_penname",
            "newsroom.change_penname",
            *EDIT_POLLS,
            *ROYALTIES_CHIEF,
            REQUEST_TRANSLATION,
            *EDIT_TERMS,
            *PRINT_CHIEF,
            *PLAN_ALL,
        ),
    ),
    # Translators edit stories in the other editions' trees (rights given by editions.setup).
    Role(
        "Biên dịch viên", "Translator", ("add_page",), ("choose_image",), (ADMIN_ACCESS, VIEW_TERMS)
    ),
    Role("Kiểm duyệt bình luận", "Comment moderator", (), (), (ADMIN_ACCESS, *MODERATE_COMMENTS)),
    Role(
        ADMINISTRATOR,
        "Administrator",
        (),
        (),
        (
            *(ADMIN_ACCESS, AUDIT_LOG, *MANAGE_USERS, "auth.change_group", "auth.view_group"),
            *ROYALTIES_SETUP,
        ),
    ),
    Role(ACCOUNTANT, "Accountant", (), (), (ADMIN_ACCESS, *ROYALTIES_READ)),
)


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant_page_permissions(group: Group, page: Page, codenames) -> None:
    """Give `group` Wagtail's page rights (`add_page`, `change_page`…) on `page` and below it;
    rights it already holds stay as they are."""
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission(f"wagtailcore.{codename}")
        )


def ensure_roles(home: Page) -> dict[str, Group]:
    """Create (or complete) every role's group with its permissions on `home`'s tree."""
    root_collection = Collection.get_first_root_node()
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.group)
        GroupPagePermission.objects.filter(group=group, page=home).exclude(
            permission__codename__in=role.pages
        ).delete()
        grant_page_permissions(group, home, role.pages)
        for codename in role.photos:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=_permission(f"wagtailimages.{codename}"),
            )
        group.permissions.add(*[_permission(p) for p in role.extra])
        groups[role.group] = group
    return groups


def is_only_contributor(user) -> bool:
    """A contributor and nothing more: sees and signs only their own work."""
    groups = {g.name for g in user.groups.all()}
    return not user.is_superuser and groups == {CONTRIBUTOR}
