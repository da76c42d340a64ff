"""Moderators' screens beyond the snippet listing: reply, block, close, personal data."""

from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request

from toasoan.newsroom.models import ArticlePage

from . import moderation
from .forms import BlockForm, PersonalDataForm, StaffReplyForm
from .models import ArticleCommentState, Comment, Status

QUEUE = "wagtailsnippets_comments_comment:list"

DONE = {
    Status.APPROVED: "Đã duyệt bình luận của “{name}”.",
    Status.REJECTED: "Đã từ chối bình luận của “{name}”; nó vẫn ở bộ lọc “Từ chối”.",
    Status.PENDING: "Đã đưa bình luận của “{name}” về “Chờ duyệt”.",
    Status.SPAM: "Đã chuyển bình luận của “{name}” vào spam.",
}


def _queue_url(request) -> str:
    """Back to the list the moderator came from (its filters and page), else what waits."""
    return get_valid_next_url_from_request(request) or reverse(QUEUE) + "?status=pending"


@permission_required("comments.change_comment", raise_exception=True)
@require_POST
def moderate(request, pk: int):
    """One click (or key) in the queue: set one comment's status, offer to undo it, and go
    back to the same list at the row after it (`focus`)."""
    comment = get_object_or_404(Comment, pk=pk)
    status, back = request.POST.get("status", ""), _queue_url(request)
    focus = request.POST.get("focus", "")
    if status not in Status.values:
        messages.error(request, "Thao tác không hợp lệ; bình luận không thay đổi.")
        return redirect(back)
    previous = comment.status
    moderation.moderate([comment], status, request.user)
    undo = previous if previous != status else ""
    context = {
        "done": DONE[status].format(name=comment.name),
        "comment": comment,
        "undo_status": undo,
        "undo_label": Status(undo).label if undo else "",
        "back_url": back,
    }
    messages.success(
        request, render_to_string("comments/admin/moderated_message.html", context, request)
    )
    return redirect(back.split("#")[0] + (f"#binh-luan-{focus}" if focus.isdigit() else ""))


def _comment_form(request, pk: int, form_class, act, *, template: str, title: str):
    """A staff form about one comment (reply, block the sender): `act(comment, cleaned_data)`
    does it and says what was done, then back to the queue as the moderator left it."""
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        messages.success(request, act(comment, form.cleaned_data))
        return redirect(_queue_url(request))
    return render(request, template, {"comment": comment, "form": form, "page_title": title})


@permission_required("comments.change_comment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def reply(request, pk: int):
    def act(comment: Comment, data: dict) -> str:
        moderation.staff_reply(comment, data["text"], request.user)
        return "Đã đăng phản hồi của tòa soạn."

    return _comment_form(
        request,
        pk,
        StaffReplyForm,
        act,
        template="comments/admin/reply.html",
        title="Trả lời bình luận",
    )


@permission_required("comments.add_blockedsender", raise_exception=True)
@require_http_methods(["GET", "POST"])
def block(request, pk: int):
    def act(comment: Comment, data: dict) -> str:
        moved = moderation.block(
            comment, email=data["email"], ip=data["ip"], user=request.user, reason=data["reason"]
        )
        return f"Đã chặn người gửi; {moved} bình luận đang chờ của họ được chuyển vào spam."

    return _comment_form(
        request, pk, BlockForm, act, template="comments/admin/block.html", title="Chặn người gửi"
    )


@require_http_methods(["GET", "POST"])
def toggle_closed(request, page_id: int):
    """Close or reopen comments on one story (editors of the story, or moderators)."""
    article = get_object_or_404(ArticlePage, pk=page_id)
    if not (
        article.permissions_for_user(request.user).can_edit()
        or request.user.has_perm("comments.change_comment")
    ):
        raise PermissionDenied
    state = ArticleCommentState.objects.filter(pk=article.pk).first()
    closed = bool(state and state.closed)
    if request.method == "POST":
        moderation.set_comments_closed(article, not closed, request.user)
        messages.success(
            request,
            f"Đã {'mở lại' if closed else 'đóng'} bình luận cho bài “{article.title}”.",
        )
        return redirect("wagtailadmin_pages:edit", article.pk)
    return render(
        request,
        "comments/admin/toggle_closed.html",
        {
            "article": article,
            "closed": closed,
            "page_title": "Mở lại bình luận" if closed else "Đóng bình luận",
        },
    )


@permission_required("comments.delete_comment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def personal_data(request):
    """Decree 13: find, export or erase every comment of one email address."""
    form = PersonalDataForm(request.POST or request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        email = form.cleaned_data["email"]
        action = request.POST.get("action", "find") if request.method == "POST" else "find"
        if action == "export":
            response = HttpResponse(
                moderation.export_personal_data(email),
                content_type="application/json; charset=utf-8",
            )
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            response["Content-Disposition"] = (
                f'attachment; filename="binh-luan-du-lieu-ca-nhan-{stamp}.json"'
            )
            return response
        if action == "erase":
            if not form.cleaned_data["confirm"]:
                form.add_error("confirm", "Hãy đánh dấu ô xác nhận trước khi xoá.")
            else:
                count = moderation.erase_personal_data(email)
                messages.success(request, f"Đã xoá {count} bình luận của email này.")
                return redirect(request.path)
        found = list(moderation.comments_of(email).select_related("article")[:500])
    return render(
        request,
        "comments/admin/personal_data.html",
        {"form": form, "found": found, "page_title": "Dữ liệu cá nhân trong bình luận"},
    )
