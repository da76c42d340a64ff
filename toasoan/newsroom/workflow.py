"""The approval chain PV → BTV → TKTS → TBT, one workflow per section, plus a breaking-news lane.

Each top-level section gets a desk group ("Ban Thời sự"…) whose section editors may edit and
approve only that section's stories. `setup_newsroom()` is idempotent: run it after adding
sections (the demo loader and `manage.py setup_newsroom` call it).
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from wagtail.admin.mail import send_mail
from wagtail.models import (
    GroupApprovalTask,
    Page,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from toasoan.core.addresses import public_url
from toasoan.core.text import short_datetime

from .models import BreakingNewsTask, SectionPage
from .roles import (
    CHIEF_EDITOR,
    CONTRIBUTOR,
    MANAGING_EDITOR,
    REPORTER,
    ensure_roles,
    grant_page_permissions,
)

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
        grant_page_permissions(desk, section, DESK_PAGE_PERMISSIONS)
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


# --- what happened, in the newsroom's words ---------------------------------------------------
def display_name(user) -> str:
    if user is None:
        return "hệ thống"
    return (user.get_full_name() or user.get_username()).strip()


def writer_title(user) -> str:
    """“phóng viên Võ Văn An”, “cộng tác viên Lê Thị Trâm”, or just the name."""
    groups = {g.name for g in user.groups.all()} if user else set()
    role = "phóng viên" if REPORTER in groups else "cộng tác viên" if CONTRIBUTOR in groups else ""
    return f"{role} {display_name(user)}".strip()


def _title(page) -> str:
    return f"“{page.get_admin_display_title()}”"


def submitted_message(page, resumed: bool) -> str:
    state = page.current_workflow_state
    step = state.current_task_state.task.name if state and state.current_task_state else ""
    verb = "Đã gửi lại" if resumed else "Đã gửi duyệt"
    return f"{verb} {_title(page)} tới bước “{step}”." if step else f"{verb} {_title(page)}."


def acted_message(page, acted_on: TaskState, action: str) -> str:
    """After "Duyệt" / "Yêu cầu sửa": where the story is now (next step, published, scheduled,
    back with its writer)."""
    page = page.specific_class.objects.get(pk=page.pk)
    state = WorkflowState.objects.get(pk=acted_on.workflow_state_id)
    if action == "reject":
        return f"Đã trả bài {_title(page)} về cho {writer_title(state.requested_by)}, kèm ghi chú."
    if state.status == WorkflowState.STATUS_IN_PROGRESS and state.current_task_state:
        step = state.current_task_state.task.name
        return f"Đã duyệt {_title(page)}; bài chuyển tới bước “{step}”."
    scheduled = page.scheduled_revision
    if scheduled is not None:
        when = short_datetime(scheduled.approved_go_live_at)
        return f"Đã duyệt {_title(page)}; bài sẽ tự xuất bản lúc {when}."
    if page.live and state.status == WorkflowState.STATUS_APPROVED:
        return f"Đã duyệt và xuất bản {_title(page)}."
    return f"Đã duyệt {_title(page)}."


# --- notes for the writer -------------------------------------------------------------------------
@dataclass(frozen=True)
class ReturnNote:
    cancelled: bool  # the review was cancelled (rather than the story sent back for changes)
    step: str
    by: str
    at: datetime | None
    text: str


def latest_return_note(page) -> ReturnNote | None:
    """The note the writer must read before going on: the latest "Yêu cầu sửa", or why the
    review was cancelled by someone else — as long as the story has not been sent again."""
    state = (
        WorkflowState.objects.for_instance(page)
        .select_related("current_task_state__task", "current_task_state__finished_by")
        .order_by("-created_at", "-pk")
        .first()
    )
    task_state = state.current_task_state if state else None
    if task_state is None:
        return None
    needs_changes = state.status == WorkflowState.STATUS_NEEDS_CHANGES
    cancelled_by_other = (
        state.status == WorkflowState.STATUS_CANCELLED
        and task_state.finished_by_id not in (None, state.requested_by_id)
    )
    if not (needs_changes or cancelled_by_other):
        return None
    return ReturnNote(
        cancelled=not needs_changes,
        step=task_state.task.name,
        by=display_name(task_state.finished_by),
        at=task_state.finished_at,
        text=task_state.comment or "",
    )


def review_cancelled(state: WorkflowState, user, note: str) -> list[str]:
    """After a review is cancelled: keep the reason on the cancelled step and tell the writer
    (and the story's owner) by e-mail unless they cancelled it themselves. Returns who was told."""
    task_state = state.current_task_state
    note = note.strip()[:2000]
    if task_state is not None and note:
        TaskState.objects.filter(pk=task_state.pk).update(comment=note)
    page = state.content_object.specific
    people = {p.pk: p for p in (state.requested_by, getattr(page, "owner", None)) if p}
    people.pop(getattr(user, "pk", None), None)
    step = task_state.task.name if task_state else ""
    link = public_url(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    body = (
        f"{display_name(user)} đã hủy quy trình duyệt của bài {_title(page)}"
        f"{f' ở bước “{step}”' if step else ''}. Bài trở về bản nháp.\n"
        f"{f'Lý do: {note}' if note else 'Không ghi lý do.'}\n\nMở bài: {link}\n"
    )
    told = []
    for person in people.values():
        if person.email:
            send_mail(f"Bài {_title(page)} đã bị hủy duyệt", body, [person.email])
        told.append(display_name(person))
    return told
