"""Admin views that tighten Wagtail's defaults for a newsroom."""

import json
from datetime import timedelta

from django.contrib import messages as django_messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.admin import messages
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import (
    CollectWorkflowActionDataView,
    WorkflowActionView,
)
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.viewsets.pages import PageViewSet, page_viewset_registry
from wagtail.models import Page, TaskState, WorkflowState

from .forms import ReturnNoteForm
from .models import ArticlePage, SectionPage
from .roles import ADD_SECTION, AUDIT_LOG
from .workflow import acted_message, review_cancelled, submitted_message

# The site-wide audit log: the editor-in-chief and administrators only (Wagtail shows it to
# anyone who can browse pages). Log entries are never editable from any screen.
audit_log = permission_required(AUDIT_LOG, raise_exception=True)(LogEntriesView.as_view())
audit_log_results = permission_required(AUDIT_LOG, raise_exception=True)(
    LogEntriesView.as_view(results_only=True)
)

_wagtail_workflow_action = page_viewset_registry.as_view("workflow_action", page_id_kwarg="page_id")
_wagtail_add_subpage = page_viewset_registry.as_view(
    "add_subpage", parent_page_id_kwarg="parent_page_id"
)

# Posted by the "Hủy quy trình duyệt" dialog (templates/newsroom/admin/cancel_review.html): its
# confirm button sends action-cancel-workflow=CANCEL_CONFIRMED, Wagtail's one-click item did not.
CANCEL_CONFIRMED = "cancel-review-confirmed"
CANCEL_NOTE = "cancel-review-note"
NOTHING_CHANGED = "Không có gì thay đổi."
REPEAT_WINDOW = timedelta(seconds=30)


def workflow_action(request, page_id: int, action_name: str, task_state_id: int):
    """Wagtail's approve/return action, refusing forged, replayed and stale requests.

    Wagtail accepts any task state id and publishes the page's *latest* revision at the end,
    so an approval aimed at another step, an already-finished step, or a story edited since
    it reached this step would act on something the approver never reviewed.
    """
    if request.method == "POST":
        page = get_object_or_404(Page, pk=page_id)
        current = page.current_workflow_task_state
        problem = None
        if current is None or current.pk != task_state_id:
            problem = "Bước duyệt này không còn hiệu lực (đã xử lý, hoặc không thuộc bài này)."
        elif current.revision_id != page.latest_revision_id:
            problem = "Bài đã được sửa sau khi đến bước này: mở bài để đọc bản mới nhất rồi duyệt."
        if problem:
            django_messages.error(request, f"{problem} {NOTHING_CHANGED}")
            edit_url = reverse("wagtailadmin_pages:edit", args=(page_id,))
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return render_modal_workflow(
                    request, "", None, {}, json_data={"step": "success", "redirect": edit_url}
                )
            return redirect(edit_url)
    return _wagtail_workflow_action(
        request, page_id=page_id, action_name=action_name, task_state_id=task_state_id
    )


def may_create_sections(user) -> bool:
    return user.has_perm(ADD_SECTION)


def may_create_kind(model, user) -> bool:
    """A page type of an app above may say who creates it (`may_be_created_by`): a live
    blog is opened by the desks that run one, so a reporter is still not asked which kind."""
    check = getattr(model, "may_be_created_by", None)
    return check is None or check(user)


def add_subpage(request, parent_page_id: int):
    """ "Thêm trang con" without sections for those who may not create them: under a section
    that leaves only "Bài viết", so the story form opens directly."""
    if may_create_sections(request.user):
        return _wagtail_add_subpage(request, parent_page_id=parent_page_id)
    parent = get_object_or_404(Page, pk=parent_page_id).specific
    if not parent.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    kinds = [
        model
        for model in type(parent).creatable_subpage_models()
        if model.can_create_at(parent)
        and not issubclass(model, SectionPage)
        and may_create_kind(model, request.user)
    ]
    if len(kinds) == 1:
        meta = kinds[0]._meta
        return redirect("wagtailadmin_pages:add", meta.app_label, meta.model_name, parent.pk)
    if not kinds:
        django_messages.error(
            request,
            "Ở đây chỉ thêm được chuyên mục, việc của quản trị. "
            "Bài viết được thêm trong một chuyên mục: mở chuyên mục rồi bấm “Thêm trang con”.",
        )
        return redirect("wagtailadmin_explore", parent.pk)
    return _wagtail_add_subpage(request, parent_page_id=parent_page_id)


def _say_instead(request, text: str, buttons=None) -> None:
    """Replace the generic success message Wagtail has just queued ("Đã cập nhật trang …")
    with one saying what actually happened."""
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", None)
    if queued and queued[-1].level == django_messages.SUCCESS:
        queued.pop()
    messages.success(request, text, buttons=buttons)


class StoryEditView(EditView):
    """A story's editor: every action says what happened; cancelling a review needs the
    dialog's confirmation and tells the writer; a return needs its note."""

    def post(self, request, *args, **kwargs):
        if self.is_repeated_action():
            return redirect(self.get_edit_url())
        refusal = self.refusal()
        if refusal:
            messages.error(request, f"{refusal} {NOTHING_CHANGED}")
            return redirect(self.get_edit_url())
        self.acted_on = self.page.current_workflow_task_state
        self.was_in_review = self.workflow_state is not None and self.workflow_state.is_active
        return super().post(request, *args, **kwargs)

    def is_repeated_action(self) -> bool:
        """The same approve/return sent twice (Wagtail's editor script can submit the form twice
        after its dialog): the first did it; the second must not save the reviewer's copy as a
        new draft, nor report an error about the first."""
        if not self.request.POST.get("action-workflow-action") or self.workflow_action_is_valid():
            return False
        return self.just_done_by_me()

    def just_done_by_me(self) -> bool:
        last = (
            TaskState.objects.for_instance(self.page)
            .exclude(finished_at=None)
            .order_by("-finished_at")
            .first()
        )
        return bool(
            last
            and last.finished_by_id == self.request.user.pk
            and timezone.now() - last.finished_at < REPEAT_WINDOW
        )

    def refusal(self) -> str:
        post = self.request.POST
        cancel = post.get("action-cancel-workflow")
        if cancel and cancel != CANCEL_CONFIRMED:
            return "Hủy quy trình duyệt cần được xác nhận trong hộp thoại."
        if post.get("action-workflow-action") and not self.workflow_action_is_valid():
            # Wagtail would save the reviewer's copy as a new draft instead.
            return "Bước duyệt này đã được xử lý."
        if post.get("action-workflow-action") and post.get("workflow-action-name") == "reject":
            try:
                extra = json.loads(post.get("workflow-action-extra-data") or "{}")
            except ValueError:
                extra = {}
            if not ReturnNoteForm(extra if isinstance(extra, dict) else {}).is_valid():
                return "“Yêu cầu sửa” cần ghi chú cho người viết."
        return ""

    @cached_property
    def action_name_and_method(self):
        # One way to send a returned story again: it goes back to the step that returned it.
        restart = self.request.POST.get("action-restart-workflow")
        if restart and self.page_perms.can_submit_for_moderation():
            return ("submit", self.submit_action)
        return super().action_name_and_method

    def perform_workflow_action(self):
        with transaction.atomic():
            current = self.acted_on and (
                TaskState.objects.select_for_update()
                .filter(pk=self.acted_on.pk, status=TaskState.STATUS_IN_PROGRESS)
                .first()
            )
            if not current:  # a request sent at the same moment did it first
                if not self.just_done_by_me():
                    messages.error(self.request, f"Bước duyệt này đã được xử lý. {NOTHING_CHANGED}")
                return redirect(self.get_edit_url())
            return super().perform_workflow_action()

    def add_save_confirmation_message(self):
        if self.action_name == "perform_workflow_action":
            messages.success(
                self.request, acted_message(self.page, self.acted_on, self.workflow_action)
            )
        elif self.is_reverting:
            super().add_save_confirmation_message()
        else:
            title = self.page.get_admin_display_title()
            messages.success(self.request, f"Đã lưu bản nháp “{title}”.")

    def submit_action(self):
        resumed = (
            self.workflow_state is not None
            and self.workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
        )
        response = super().submit_action()
        buttons = [self.get_view_draft_message_button(), self.get_edit_message_button()]
        _say_instead(self.request, submitted_message(self.page, resumed), buttons)
        return response

    def publish_action(self):
        response = super().publish_action()
        if self.was_in_review and self.page.live and self.page.scheduled_revision is None:
            title = self.page.get_admin_display_title()
            _say_instead(
                self.request,
                f"Đã xuất bản “{title}” ngay; các bước duyệt còn lại được bỏ qua.",
                [self.get_view_live_message_button(), self.get_edit_message_button()],
            )
        return response

    def add_cancel_workflow_confirmation_message(self):
        # Called by Wagtail right after it cancels the review (whichever way it did).
        user = self.request.user
        told = review_cancelled(self.workflow_state, user, self.request.POST.get(CANCEL_NOTE, ""))
        title = self.page.get_admin_display_title()
        if self.workflow_state.requested_by_id == user.pk:
            text = f"Đã rút “{title}” khỏi quy trình duyệt; bài trở về bản nháp."
        else:
            text = f"Đã hủy quy trình duyệt “{title}”; bài trở về bản nháp."
        if told:
            text += f" Đã báo cho {', '.join(told)}."
        messages.success(self.request, text, buttons=[self.get_edit_message_button()])


class StoryCreateView(CreateView):
    def submit_action(self):
        response = super().submit_action()
        title = self.page.get_admin_display_title()
        text = submitted_message(self.page, resumed=False).replace(
            f"Đã gửi duyệt “{title}”", f"Đã tạo bài “{title}” và gửi duyệt", 1
        )
        _say_instead(self.request, text, [self.get_edit_message_button()])
        return response


class ReturnNoteRequired:
    """ "Yêu cầu sửa" asks for a note the writer will work from."""

    def get_form_class(self):
        if self.action_name == "reject":
            return ReturnNoteForm
        return super().get_form_class()


class StoryWorkflowActionView(ReturnNoteRequired, WorkflowActionView):
    """The dashboard's "Duyệt" / "Yêu cầu sửa": the same rules, and a message saying where the
    story went (Wagtail's says nothing)."""

    def post(self, request, *args, **kwargs):
        acted_on = self.task_state
        response = super().post(request, *args, **kwargs)
        acted_on.refresh_from_db()
        if acted_on.status != acted_on.STATUS_IN_PROGRESS:
            page = self.object.specific
            django_messages.success(request, acted_message(page, acted_on, self.action_name))
        elif self.action_name == "reject" and not request.headers.get("x-requested-with"):
            django_messages.error(request, f"“Yêu cầu sửa” cần ghi chú. {NOTHING_CHANGED}")
        return response


class StoryCollectWorkflowActionDataView(ReturnNoteRequired, CollectWorkflowActionDataView):
    pass


class StoryViewSet(PageViewSet):
    """The story's admin views (routed by Wagtail for ArticlePage only)."""

    model = ArticlePage
    edit_view_class = StoryEditView
    add_view_class = StoryCreateView
    workflow_action_view_class = StoryWorkflowActionView
    collect_workflow_action_data_view_class = StoryCollectWorkflowActionDataView


story_viewset = StoryViewSet("newsroom_stories")
