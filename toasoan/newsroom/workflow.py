"""The approval chain PV → BTV → TKTS → TBT, one workflow per section, plus a breaking-news lane.

Each top-level section gets a desk group ("Ban Thời sự"…) whose section editors may edit and
approve only that section's stories. `setup_newsroom()` is idempotent: run it after adding
sections (the demo loader and `manage.py setup_newsroom` call it).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import BreakingNewsTask, SectionPage
from .roles import CHIEF_EDITOR, MANAGING_EDITOR, ensure_roles

DESK_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page")
BREAKING_LANE = "Tin nóng (làn nhanh)"


def desk_name(section: SectionPage) -> str:
    return f"Ban {section.title}"


def ensure_task(model, name: str, groups: list[Group]):
    task = model.objects.filter(name=name).first()
    if task is None:
        task = model.objects.create(name=name)
    task.groups.set(groups)
    return task


def ensure_workflow(name: str, tasks: list) -> Workflow:
    workflow, _ = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    existing = list(
        workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True)
    )
    if existing != [t.pk for t in tasks]:
        workflow.workflow_tasks.all().delete()
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


@transaction.atomic
def setup_newsroom(home: Page) -> dict[str, Group]:
    """Roles, a desk per top-level section, its workflow, and the breaking-news lane."""
    groups = ensure_roles(home)
    managing = ensure_task(GroupApprovalTask, "Thư ký tòa soạn duyệt", [groups[MANAGING_EDITOR]])
    chief = ensure_task(GroupApprovalTask, "Tổng biên tập duyệt", [groups[CHIEF_EDITOR]])
    for section in SectionPage.objects.child_of(home):
        desk, _ = Group.objects.get_or_create(name=desk_name(section))
        for codename in DESK_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=desk,
                page=section,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        desk_task = ensure_task(GroupApprovalTask, f"Biên tập viên {section.title} duyệt", [desk])
        workflow = ensure_workflow(f"Quy trình {section.title}", [desk_task, managing, chief])
        WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})
        groups[desk.name] = desk
    lane = ensure_task(
        BreakingNewsTask, "Duyệt tin nóng", [groups[MANAGING_EDITOR], groups[CHIEF_EDITOR]]
    )
    ensure_workflow(BREAKING_LANE, [lane])
    # Wagtail's generic "Moderators approval" on the root would bypass the desks.
    WorkflowPage.objects.filter(page__depth=1).delete()
    return groups
