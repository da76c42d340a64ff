"""The translation desk: a translator saves a draft of the translated story and sends it to the
edition's desk, whose workflow (e.g. Ban Tiếng Anh → Tổng biên tập) approves and publishes it.

wagtail-localize saves each segment as it is translated; the story itself (a Wagtail
revision, which is what the desk reviews) is written only by `save_draft`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.models import Page, WorkflowState
from wagtail_localize.models import Translation


class DeskError(Exception):
    """A clear reason the action was refused; nothing was changed."""


def target_page(translation: Translation) -> Page:
    return translation.get_target_instance().specific


def _check_can_edit(page: Page, user) -> None:
    perms = page.permissions_for_user(user)
    if not perms.can_edit():
        raise PermissionDenied
    lock = page.get_lock()
    if lock and lock.for_user(user):
        raise DeskError("Bài đang bị khoá hoặc đang chờ duyệt: không sửa được lúc này.")


@transaction.atomic
def save_draft(translation: Translation, user) -> Page:
    """A new draft revision of the translated story with every segment translated so far
    (untranslated segments keep the source text)."""
    page = target_page(translation)
    _check_can_edit(page, user)
    try:
        translation.save_target(user=user, publish=False)
    except ValidationError as error:
        raise DeskError("Bản dịch chưa hợp lệ: " + "; ".join(error.messages)) from error
    return target_page(translation)


def untranslated_count(translation: Translation) -> int:
    total, done = translation.get_progress()
    return total - done


@transaction.atomic
def submit(translation: Translation, user) -> WorkflowState:
    """Save the draft and send it to the edition's workflow (or back to it after changes)."""
    missing = untranslated_count(translation)
    if missing:
        raise DeskError(f"Còn {missing} đoạn chưa dịch: dịch hết rồi mới gửi duyệt.")
    page = save_draft(translation, user)
    state = page.current_workflow_state
    if state is not None:
        if state.status != WorkflowState.STATUS_NEEDS_CHANGES:
            raise DeskError("Bản dịch đang chờ duyệt rồi.")
        state.resume(user)
        return state
    workflow = page.get_workflow()
    if workflow is None:
        raise DeskError("Ấn bản này chưa có quy trình duyệt (chạy manage.py setup_editions).")
    return workflow.start(page, user)


def review_actions(page: Page, user) -> list[tuple[str, str]]:
    """(action, label) the user may take on the story's current workflow step."""
    task_state = page.current_workflow_task_state
    if task_state is None:
        return []
    actions: dict[str, str] = {}
    for name, label, _ in task_state.task.specific.get_actions(page, user):
        actions.setdefault(name, label)  # "approve" once (the comment box is on the form)
    return list(actions.items())
