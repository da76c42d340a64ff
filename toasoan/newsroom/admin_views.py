"""Admin views that tighten Wagtail's defaults for a newsroom."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page

from .roles import AUDIT_LOG

# The site-wide audit log: the editor-in-chief and administrators only (Wagtail shows it to
# anyone who can browse pages). Log entries are never editable from any screen.
audit_log = permission_required(AUDIT_LOG, raise_exception=True)(LogEntriesView.as_view())
audit_log_results = permission_required(AUDIT_LOG, raise_exception=True)(
    LogEntriesView.as_view(results_only=True)
)

_wagtail_workflow_action = page_viewset_registry.as_view("workflow_action", page_id_kwarg="page_id")


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
            messages.error(request, f"{problem} Không có gì thay đổi.")
            edit_url = reverse("wagtailadmin_pages:edit", args=(page_id,))
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return render_modal_workflow(
                    request, "", None, {}, json_data={"step": "success", "redirect": edit_url}
                )
            return redirect(edit_url)
    return _wagtail_workflow_action(
        request, page_id=page_id, action_name=action_name, task_state_id=task_state_id
    )
