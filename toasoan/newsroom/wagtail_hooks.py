"""Newsroom rules inside the Wagtail admin: no silent overwrites, reasons to unpublish,
contributors see their own work, the audit log is for the editor-in-chief and administrators."""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem, SubmitForModerationMenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter, log
from wagtail.models import TaskState, WorkflowState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import (
    CANCEL_CONFIRMED,
    CANCEL_NOTE,
    may_create_kind,
    may_create_sections,
    story_viewset,
)
from .models import ArticlePage, PenName, SectionPage
from .roles import AUDIT_LOG, is_only_contributor

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


@hooks.register("insert_editor_js")
def no_autosave_of_a_decision():
    return format_html('<script src="{}" defer></script>', static("newsroom/edit-form.js"))


@hooks.register("before_edit_page")
def autosave_never_decides(request, *_):
    """An autosave (a JSON request) saves the draft and nothing more: should it carry the
    fields of a publish or a workflow decision (the page still open while the real request
    is under way), they are dropped, so the decision is never taken twice."""
    if request.method != "POST" or request.accepts("text/html"):
        return None
    actions = [key for key in request.POST if key.startswith(("action-", "workflow-action-"))]
    if actions:
        request.POST = request.POST.copy()
        for key in actions:
            del request.POST[key]
    return None


hooks.register("before_create_page", autosave_never_decides)


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
    """Dashboard: stories an editor sent back to me, with the editor's note, and reviews of
    mine someone else cancelled, with the reason."""

    name = "returned_to_me"
    template_name = "newsroom/admin/returned_to_me.html"
    order = 205

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        states = list(
            WorkflowState.objects.filter(
                Q(status=WorkflowState.STATUS_NEEDS_CHANGES)
                | (
                    Q(status=WorkflowState.STATUS_CANCELLED)
                    & ~Q(current_task_state__finished_by=self.user)
                    & Q(current_task_state__finished_by__isnull=False)
                ),
                requested_by=self.user,
                base_content_type__model="page",
            )
            .select_related("current_task_state__task", "current_task_state__finished_by")
            .order_by("-current_task_state__finished_at")[:40]
        )
        ids = {s.object_id for s in states}
        latest = {}  # a story sent again since is no longer waiting on its writer
        for object_id, pk in (
            WorkflowState.objects.filter(base_content_type__model="page", object_id__in=ids)
            .order_by("created_at", "pk")
            .values_list("object_id", "pk")
        ):
            latest[object_id] = pk
        pages = ArticlePage.objects.in_bulk([int(i) for i in ids])
        rows = []
        for state in states:
            page = pages.get(int(state.object_id))
            task_state: TaskState | None = state.current_task_state
            if page and task_state and latest.get(state.object_id) == state.pk:
                cancelled = state.status == WorkflowState.STATUS_CANCELLED
                rows.append({"page": page, "task_state": task_state, "cancelled": cancelled})
        return {"rows": rows[:20]}


@hooks.register("construct_homepage_panels")
def add_returned_to_me_panel(request, panels):
    panels.append(ReturnedToMePanel(request.user))


# --- the story's admin views ------------------------------------------------------------------
@hooks.register("register_admin_viewset")
def register_story_views():
    return story_viewset


@hooks.register("before_create_page")
def sections_are_for_administrators(request, parent_page, page_class):
    if issubclass(page_class, SectionPage) and not may_create_sections(request.user):
        messages.error(request, "Chỉ quản trị tạo chuyên mục mới. Không có gì thay đổi.")
        return redirect("wagtailadmin_explore", parent_page.pk)
    if not may_create_kind(page_class, request.user):
        messages.error(request, "Bạn không mở được loại trang này. Không có gì thay đổi.")
        return redirect("wagtailadmin_explore", parent_page.pk)
    return None


# --- the editor's action menu -----------------------------------------------------------------
class CancelReviewMenuItem(ActionMenuItem):
    """ "Hủy quy trình duyệt…", last in the menu, through a dialog that says what will happen,
    takes a reason for the writer, and asks to confirm (a one-click cancel told nobody)."""

    name = "action-cancel-workflow"
    icon_name = "error"
    order = 1000
    template_name = "newsroom/admin/cancel_review.html"

    def is_shown(self, context):
        if context["view"] != "edit":
            return False
        state = context["page"].current_workflow_state
        return bool(state and state.user_can_cancel(context["request"].user))

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        state = context["page"].current_workflow_state
        mine = state.requested_by_id == context["request"].user.pk
        context.update(
            label="Rút bài về bản nháp…" if mine else "Hủy quy trình duyệt…",
            mine=mine,
            state=state,
            writer=state.requested_by,
            confirmed_field=CANCEL_CONFIRMED,
            note_field=CANCEL_NOTE,
        )
        return context


# Order in the menu, after the default action ("Lưu nháp"): the step's own actions first,
# what is rarely wanted last.
MENU_ORDER = {"approve": 10, "reject": 20, "action-submit": 30, "action-publish": 40}


def _menu_rank(item) -> int:
    return MENU_ORDER.get(item.name, 50 if item.name != CancelReviewMenuItem.name else 1000)


@hooks.register("construct_page_action_menu")
def newsroom_action_menu(menu_items, request, context):
    page = context.get("page")
    state = page.current_workflow_state if page is not None and page.pk else None
    task = page.current_workflow_task if state else None
    user = request.user
    items = []
    for item in menu_items:
        if item.name == "action-restart-workflow":
            continue  # a returned story is sent again one way: to the step that returned it
        if item.name == "action-cancel-workflow":
            item = CancelReviewMenuItem()
            if not item.is_shown(context):
                continue
        elif item.name == "action-submit" and state and state.status == state.STATUS_NEEDS_CHANGES:
            item = ResubmitMenuItem(order=item.order)
        elif item.name == "action-publish" and state:
            can_approve = task is not None and any(
                name == "approve" for name, _, _ in task.get_actions(page, user)
            )
            if can_approve and state.is_at_final_task:
                continue  # "Duyệt và xuất bản" does it, and closes the review properly
            item = copy.copy(item)
            item.label = "Xuất bản ngay, bỏ qua các bước duyệt còn lại"
        items.append(item)
    # The first item is the main button: it keeps its place; the rest are reordered.
    menu_items[:] = items[:1] + sorted(items[1:], key=_menu_rank)


class ResubmitMenuItem(SubmitForModerationMenuItem):
    """Sending a returned story again, to the step that returned it."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        step = context["page"].current_workflow_state.current_task_state.task.name
        context["label"] = f"Gửi lại bài đã sửa tới bước “{step}”"
        return context


# --- pen names ----------------------------------------------------------------------------------
class PenNameChoice:
    """The pen-name chooser: the user's own first, marked "của bạn"; a contributor sees only
    their own (and may sign only with them: forms.BylineForm)."""

    def get_object_list(self):
        user = self.request.user
        pen_names = PenName.objects.all()
        if is_only_contributor(user):
            pen_names = pen_names.filter(staff_member=user)
        return pen_names.annotate(
            not_own=Case(
                When(staff_member_id=user.pk, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("not_own", "sort_name", "name")

    @property
    def title_column(self):
        column = super().title_column
        column.label = "Bút danh"
        user_id = self.request.user.pk
        column.accessor = lambda pen: (
            f"{pen.name} — của bạn" if pen.staff_member_id == user_id else pen.name
        )
        return column


class PenNameChooseView(PenNameChoice, ChooseView):
    pass


class PenNameChooseResultsView(PenNameChoice, ChooseResultsView):
    pass


class PenNameChooserViewSet(SnippetChooserViewSet):
    choose_view_class = PenNameChooseView
    choose_results_view_class = PenNameChooseResultsView


class PenNameViewSet(SnippetViewSet):
    model = PenName
    icon = "user"
    chooser_viewset_class = PenNameChooserViewSet


register_snippet(PenNameViewSet)
