"""Newsroom rules inside the Wagtail admin: no silent overwrites, reasons to unpublish,
contributors see their own work, the audit log is for the editor-in-chief and administrators."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter, log
from wagtail.models import TaskState, WorkflowState

from .models import ArticlePage
from .roles import AUDIT_LOG, CONTRIBUTOR

UNPUBLISH_REASON_FIELD = "unpublish_reason"


@hooks.register("before_edit_page")
def refuse_stale_save(request, page):
    """Saving over a newer revision (another editor saved meanwhile) is refused, not silent."""
    if request.method != "POST" or page.latest_revision_id is None:
        return None
    loaded = request.POST.get("overwrite_revision_id") or request.POST.get("loaded_revision_id")
    if loaded and loaded != str(page.latest_revision_id):
        latest = page.latest_revision
        who = latest.user.get_full_name() or latest.user.get_username() if latest.user else "—"
        messages.error(
            request,
            f"Không lưu: {who} đã lưu một phiên bản mới hơn trong lúc bạn sửa. "
            "Trang đã được tải lại với phiên bản mới nhất; hãy so sánh trong Lịch sử rồi sửa tiếp.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_unpublish_page")
def require_unpublish_reason(request, page):
    if request.method == "POST" and not request.POST.get(UNPUBLISH_REASON_FIELD, "").strip():
        messages.error(request, "Gỡ bài cần ghi lý do.")
        return redirect("wagtailadmin_pages:unpublish", page.pk)
    return None


@hooks.register("after_unpublish_page")
def log_unpublish_reason(request, page):
    log(
        instance=page,
        action="toasoan.unpublish_reason",
        user=request.user,
        data={"reason": request.POST.get(UNPUBLISH_REASON_FIELD, "").strip()[:1000]},
    )


@hooks.register("before_bulk_action")
def one_reasoned_unpublish_at_a_time(request, action_type, objects, action_class_instance):
    if action_type == "unpublish" and request.method == "POST":
        messages.error(request, "Gỡ từng bài một để ghi lý do gỡ.")
        return redirect("wagtailadmin_explore_root")
    return None


@hooks.register("register_log_actions")
def register_newsroom_log_actions(actions):
    @actions.register_action("toasoan.unpublish_reason")
    class UnpublishReason(LogFormatter):
        label = "Lý do gỡ bài"

        def format_message(self, log_entry):
            return f"Gỡ bài, lý do: {log_entry.data.get('reason', '')}"

    @actions.register_action("toasoan.breaking_news")
    class BreakingNews(LogFormatter):
        label = "Tin nóng"

        def format_message(self, log_entry):
            return "Xuất bản theo làn tin nóng sau một lần duyệt."


def is_only_contributor(user) -> bool:
    groups = {g.name for g in user.groups.all()}
    return not user.is_superuser and groups == {CONTRIBUTOR}


@hooks.register("construct_explorer_page_queryset")
def contributors_see_their_own_work(parent_page, pages, request):
    if is_only_contributor(request.user):
        return pages.filter(~Q(content_type__model="articlepage") | Q(owner=request.user))
    return pages


@hooks.register("before_edit_page")
def contributors_edit_only_their_own(request, page):
    if is_only_contributor(request.user) and page.owner_id != request.user.pk:
        raise PermissionDenied


@hooks.register("construct_reports_menu")
def audit_log_for_chiefs_and_admins(request, menu_items):
    if not request.user.has_perm(AUDIT_LOG):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]


class ReturnedToMePanel(Component):
    """Dashboard: stories an editor sent back to me, with the editor's note."""

    name = "returned_to_me"
    template_name = "newsroom/admin/returned_to_me.html"
    order = 205

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        states = (
            WorkflowState.objects.filter(
                status=WorkflowState.STATUS_NEEDS_CHANGES,
                requested_by=self.user,
                base_content_type__model="page",
            )
            .select_related("current_task_state__task", "current_task_state__finished_by")
            .order_by("-current_task_state__finished_at")[:20]
        )
        pages = ArticlePage.objects.in_bulk([int(s.object_id) for s in states])
        rows = []
        for state in states:
            page = pages.get(int(state.object_id))
            task_state: TaskState | None = state.current_task_state
            if page and task_state:
                rows.append({"page": page, "task_state": task_state})
        return {"rows": rows}


@hooks.register("construct_homepage_panels")
def add_returned_to_me_panel(request, panels):
    panels.append(ReturnedToMePanel(request.user))
