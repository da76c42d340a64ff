"""The live desk in the admin: one screen per live blog (write, approve, edit, delete, pin,
key events, start, end) and, for a Q&A session, its questions (merge, edit, reject,
forward, answer as typist, transcript to a story)."""

from functools import partial, wraps

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages

from . import desk, questions
from .forms import AnswerForm, EntryForm, QuestionEditForm
from .models import EntryStatus, LiveBlogPage, LiveEntry, Question, QuestionStatus

NOT_YOURS = (
    "Việc này dành cho ban biên tập của chuyên mục có trang trực tiếp này, Thư ký tòa soạn "
    "và Tổng biên tập."
)


class Refused(Exception):
    """Answered with a 403 page saying why (refusing_views), never Wagtail's redirect home."""


def refusing_views(view):
    """A refusal inside the view — ours or the desk's (desk.NotAllowed) — is a 403 page."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (Refused, desk.NotAllowed) as refused:
            message = str(refused) or NOT_YOURS
            context = {"page_title": "Không thực hiện được", "message": message}
            return render(request, "live/admin/refused.html", context, status=403)

    return wrapped


def _staff(request) -> None:
    if not desk.on_desk(request.user):
        raise Refused("Bạn không làm việc với trang trực tiếp.")


def _allowed(allowed: bool) -> None:
    """A 403 unless `allowed`: asked before anything changes."""
    if not allowed:
        raise Refused


def _run(request, function, *args):
    """A desk function called as the signed-in user (its last argument); its refusal
    (desk.NotAllowed) is a 403 (refusing_views)."""
    return function(*args, request.user)


def _named(actions: dict, action: str) -> tuple:
    """(function, message when done) of a named action; an unknown name is a 404."""
    if action not in actions:
        raise Http404("Không có thao tác này.")
    return actions[action]


def _edit_screen(request, form, save, *, done: str, back: str, template: str, context: dict):
    """An edit form of the desk: when sent valid, `save(user, **cleaned_data)` and back to
    the desk with `done`; else the form (again, with its errors)."""
    if request.method == "POST" and form.is_valid():
        save(request.user, **form.cleaned_data)
        messages.success(request, done)
        return redirect(back)
    return render(request, template, {**context, "form": form})


def _desk_url(blog_id: int, anchor: str = "") -> str:
    return reverse("live_admin:desk", args=[blog_id]) + (f"#{anchor}" if anchor else "")


@refusing_views
def index(request):
    _staff(request)
    blogs = LiveBlogPage.objects.order_by("-latest_revision_created_at")[:100]
    return render(request, "live/admin/index.html", {"page_title": "Trực tiếp", "blogs": blogs})


@refusing_views
@require_http_methods(["GET", "POST"])
def blog_desk(request, blog_id: int):
    _staff(request)
    blog = get_object_or_404(LiveBlogPage, pk=blog_id)
    form = EntryForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            entry = _run(request, partial(desk.write, **form.cleaned_data), blog)
            messages.success(
                request,
                "Đã đăng mục mới." if entry.is_published else "Đã gửi mục mới, chờ biên tập duyệt.",
            )
            return redirect(_desk_url(blog.pk))
        messages.error(request, "Vui lòng kiểm tra lại các ô được đánh dấu.")
    entries = (
        LiveEntry.objects.filter(blog=blog)
        .select_related("author", "question")
        .order_by("-created_at", "-pk")
    )
    can_moderate = desk.can_moderate(request.user, blog)
    context = {
        "page_title": blog.title,
        "blog": blog,
        "form": form,
        "pending": [e for e in entries if e.status == EntryStatus.PENDING],
        "published": [e for e in entries if e.status == EntryStatus.PUBLISHED],
        "deleted": [e for e in entries if e.status == EntryStatus.DELETED],
        "state": blog.state(),
        "can_approve": desk.can_approve(request.user, blog),
        "can_moderate": can_moderate,
    }
    if blog.is_qa and can_moderate:
        qs = Question.objects.filter(session=blog).select_related("merged_into")
        context.update(
            new_questions=[q for q in qs if q.status == QuestionStatus.NEW],
            forwarded=[q for q in qs if q.status == QuestionStatus.FORWARDED],
            other_questions=[
                q for q in qs if q.status in (QuestionStatus.MERGED, QuestionStatus.REJECTED)
            ],
            merge_targets=[
                q for q in qs if q.status in (QuestionStatus.NEW, QuestionStatus.FORWARDED)
            ],
            answer_form=AnswerForm(),
        )
    return render(request, "live/admin/desk.html", context)


ENTRY_ACTIONS = {
    "approve": (desk.approve, "Đã duyệt; mục hiện với bạn đọc."),
    "pin": (lambda e, u: desk.pin(e, u, True), "Đã ghim mục lên đầu."),
    "unpin": (lambda e, u: desk.pin(e, u, False), "Đã bỏ ghim."),
    "key": (lambda e, u: desk.mark_key_event(e, u, True), "Đã đánh dấu diễn biến chính."),
    "unkey": (lambda e, u: desk.mark_key_event(e, u, False), "Đã bỏ đánh dấu diễn biến chính."),
    "restore": (desk.restore, "Đã khôi phục mục."),
}


@refusing_views
@require_POST
def entry_action(request, entry_id: int, action: str):
    entry = get_object_or_404(LiveEntry.objects.select_related("blog"), pk=entry_id)
    _allowed(desk.can_approve(request.user, entry.blog))
    function, done = _named(ENTRY_ACTIONS, action)
    if action == "key" and not entry.title:
        messages.error(request, "Diễn biến chính cần có tiêu đề: sửa mục, thêm tiêu đề trước.")
    else:
        _run(request, function, entry)
        messages.success(request, done)
    return redirect(_desk_url(entry.blog_id, f"muc-{entry.pk}"))


@refusing_views
@require_http_methods(["GET", "POST"])
def entry_edit(request, entry_id: int):
    entry = get_object_or_404(LiveEntry.objects.select_related("blog"), pk=entry_id)
    _allowed(desk.can_edit(request.user, entry))
    return _edit_screen(
        request,
        EntryForm(request.POST or None, instance=entry),
        partial(desk.edit, entry),
        done="Đã lưu mục; bạn đọc thấy bản sửa trong vài giây.",
        back=_desk_url(entry.blog_id, f"muc-{entry.pk}"),
        template="live/admin/entry_form.html",
        context={"page_title": "Sửa mục tường thuật", "entry": entry},
    )


@refusing_views
@require_http_methods(["GET", "POST"])
def entry_delete(request, entry_id: int):
    """Asks first; a deleted entry can still be restored from the desk."""
    entry = get_object_or_404(LiveEntry.objects.select_related("blog"), pk=entry_id)
    _allowed(desk.can_approve(request.user, entry.blog))
    if request.method == "POST":
        desk.delete(entry, request.user)
        messages.success(request, "Đã gỡ mục khỏi trang; có thể khôi phục ở cuối trang này.")
        return redirect(_desk_url(entry.blog_id))
    return render(
        request,
        "live/admin/entry_delete.html",
        {"page_title": "Gỡ mục tường thuật", "entry": entry},
    )


BLOG_ACTIONS = {
    "start": (desk.start, "Đã bắt đầu tường thuật."),
    "end": (desk.end, "Đã kết thúc; trang thôi tự cập nhật."),
}


@refusing_views
@require_POST
def blog_state(request, blog_id: int, action: str):
    blog = get_object_or_404(LiveBlogPage, pk=blog_id)
    function, done = _named(BLOG_ACTIONS, action)
    _run(request, function, blog)
    messages.success(request, done)
    return redirect(_desk_url(blog.pk))


QUESTION_ACTIONS = {
    "forward": (questions.forward, "Đã chuyển câu hỏi cho khách mời."),
    "reject": (questions.reject, "Đã từ chối câu hỏi."),
}


@refusing_views
@require_POST
def question_action(request, question_id: int, action: str):
    question = get_object_or_404(Question.objects.select_related("session"), pk=question_id)
    _allowed(desk.can_moderate(request.user, question.session))
    back = redirect(_desk_url(question.session_id, f"cau-hoi-{question.pk}"))
    if action == "merge":  # the number picked from the list, or typed (with or without #)
        number = "".join(c for c in request.POST.get("into", "") if c.isdigit())
        into = get_object_or_404(Question, pk=int(number or 0), session=question.session)
        _run(request, questions.merge, question, into)
        messages.success(request, f"Đã gộp vào câu hỏi #{into.pk}.")
    elif action == "answer":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Nhập nội dung trả lời.")
            return back
        _run(request, partial(questions.answer, text=form.cleaned_data["text"]), question)
        messages.success(request, "Đã đăng câu trả lời.")
    else:
        function, done = _named(QUESTION_ACTIONS, action)
        _run(request, function, question)
        messages.success(request, done)
    return back


@refusing_views
@require_http_methods(["GET", "POST"])
def question_edit(request, question_id: int):
    question = get_object_or_404(Question.objects.select_related("session"), pk=question_id)
    _allowed(desk.can_moderate(request.user, question.session))
    return _edit_screen(
        request,
        QuestionEditForm(request.POST or None, initial={"text": question.text}),
        partial(questions.edit, question),
        done="Đã sửa câu hỏi.",
        back=_desk_url(question.session_id, f"cau-hoi-{question.pk}"),
        template="live/admin/question_form.html",
        context={"page_title": "Sửa câu hỏi", "question": question},
    )


@refusing_views
@require_POST
def transcript(request, blog_id: int):
    blog = get_object_or_404(LiveBlogPage, pk=blog_id, mode="qa")
    story = _run(request, questions.transcript_story, blog)
    messages.success(request, "Đã tạo bài từ biên bản giao lưu và gửi vào quy trình duyệt.")
    return redirect(reverse("wagtailadmin_pages:edit", args=[story.pk]))


@refusing_views
@require_POST
def entry_to_story(request, entry_id: int):
    entry = get_object_or_404(LiveEntry.objects.select_related("blog"), pk=entry_id)
    story = _run(request, questions.entry_story, entry)
    messages.success(request, "Đã tạo bài riêng từ mục này và gửi vào quy trình duyệt.")
    return redirect(reverse("wagtailadmin_pages:edit", args=[story.pk]))
