"""Locales, edition home pages, the edition desks and their workflow. Idempotent: the demo
loader and `manage.py setup_editions` run it after the newsroom's own setup.

Each edition other than the default one is a tree of its own under the site root: its home is
a translation (same `translation_key`) of the Vietnamese home, and Wagtail serves it at /en/.
Its desk ("Ban Tiếng Anh") approves its stories, then the editor-in-chief publishes them, in a
workflow set on the edition's home, so it covers every section below it.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupApprovalTask, Locale, Page, Site, WorkflowPage

from toasoan.core.changes import content_changed
from toasoan.newsroom.roles import (
    CHIEF_EDITOR,
    EDIT_TERMS,
    MANAGING_EDITOR,
    ROLES,
    grant_page_permissions,
)
from toasoan.newsroom.workflow import DESK_PAGE_PERMISSIONS, ensure_task, ensure_workflow

from . import editions

TRANSLATOR = "Biên dịch viên"
TRANSLATOR_PAGE_PERMISSIONS = ("add_page", "change_page")


def ensure_locales() -> dict[str, Locale]:
    return {
        e.code: Locale.objects.get_or_create(language_code=e.code)[0]
        for e in editions.all_editions()
    }


def edition_home(source_home: Page, locale: Locale, title: str) -> Page:
    """The edition's home page: a live translation of the default home, without its slots."""
    home = source_home.get_translation_or_none(locale)
    if home is None:
        home = source_home.copy_for_translation(locale).specific
        home.title = title
        home.featured_slots.all().delete()
        home.save_revision().publish()
        Site.clear_site_root_paths_cache()
        content_changed(frame=True)
    return home.specific


@transaction.atomic
def setup_desk(home: Page, edition: editions.Edition) -> Group:
    """The edition's desk, page rights on its tree, and its workflow (desk → editor-in-chief)."""
    groups = {role.group: Group.objects.get_or_create(name=role.group)[0] for role in ROLES}
    desk, _ = Group.objects.get_or_create(name=edition.desk_name)
    grant_page_permissions(desk, home, DESK_PAGE_PERMISSIONS)
    grant_page_permissions(groups[TRANSLATOR], home, TRANSLATOR_PAGE_PERMISSIONS)
    # The managing editor and the editor-in-chief keep the rights they have on the paper.
    for name in (MANAGING_EDITOR, CHIEF_EDITOR):
        role = next(r for r in ROLES if r.group == name)
        grant_page_permissions(groups[name], home, role.pages)
    desk.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="wagtail_localize", codename="submit_translation"
        ),
        *Permission.objects.filter(
            content_type__app_label="editions", codename__in=[p.split(".")[1] for p in EDIT_TERMS]
        ),
    )
    desk_task = ensure_task(GroupApprovalTask, f"{edition.desk_name} duyệt", [desk])
    chief = ensure_task(GroupApprovalTask, "Tổng biên tập duyệt", [groups[CHIEF_EDITOR]])
    workflow = ensure_workflow(f"Quy trình {edition.desk_name}", [desk_task, chief])
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    return desk


@transaction.atomic
def setup_editions(source_home: Page, titles: dict[str, str] | None = None) -> dict:
    """Every configured edition's locale, home page and desk. Returns {code: home}."""
    locales = ensure_locales()
    homes = {}
    for edition in editions.all_editions():
        if edition.is_default:
            continue
        title = (titles or {}).get(edition.code, "Home")
        home = edition_home(source_home, locales[edition.code], title)
        setup_desk(home, edition)
        homes[edition.code] = home
    return homes
