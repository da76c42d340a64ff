"""The live desk in the admin: one screen per live blog (write, approve, edit, delete, pin,
key events, start, end) and, for a Q&A session, its questions (merge, edit, reject,
forward, answer as typist, transcript to a story)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages

from . import desk, questions
from .forms import AnswerForm, EntryForm, QuestionEditForm
from .models import EntryStatus, LiveBlogPage, LiveEntry, Question, QuestionStatus


def _staff(request) -> None:
    if not (desk.can_write(request.user) or desk.can_moderate(request.user)):
        raise PermissionDenied


def _desk_url(blog_id: int, anchor: str = "") -> str:
    return reverse("live_admin:desk", args=[blog_id]) + (f"#{anchor}" if anchor else "")


def index(request):
    _staff(request)
    blogs = LiveBlogPage.objects.order_by("-latest_revision_created_at")[:100]
    return render(request, "live/admin/index.html", {"page_title": "Trực tiếp", "blogs": blogs})


@require_http_methods(["GET", "POST"])
def blog_desk(request, blog_id: int):
    _staff(request)
    blog = get_object_or_404(LiveBlogPage, pk=blog_id)
    form = EntryForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = desk.write(blog, request.user, **form.cleaned_data)
            except desk.NotAllowed as error:
                raise PermissionDenied from error
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
    context = {
        "page_title": blog.title,
        "blog": blog,
        "form": form,
        "pending": [e for e in entries if e.status == EntryStatus.PENDING],
        "published": [e for e in entries if e.status == EntryStatus.PUBLISHED],
        "deleted": [e for e in entries if e.status == EntryStatus.DELETED],
        "state": blog.state(),
        "can_approve": desk.can_approve(request.user),
        "can_moderate": desk.can_moderate(request.user),
    }
    if blog.is_qa:
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


@require_POST
def entry_action(request, entry_id: int, action: str):
    entry = get_object_or_404(LiveEntry, pk=entry_id)
    if action not in ENTRY_ACTIONS:
        raise PermissionDenied
    function, done = ENTRY_ACTIONS[action]
    if action == "key" and not entry.title:
        messages.error(request, "Diễn biến chính cần có tiêu đề: sửa mục, thêm tiêu đề trước.")
        return redirect(_desk_url(entry.blog_id, f"muc-{entry.pk}"))
    try:
        function(entry, request.user)
    except desk.NotAllowed as error:
        raise PermissionDenied from error
    messages.success(request, done)
    return redirect(_desk_url(entry.blog_id, f"muc-{entry.pk}"))


@require_http_methods(["GET", "POST"])
def entry_edit(request, entry_id: int):
    entry = get_object_or_404(LiveEntry, pk=entry_id)
    _staff(request)
    form = EntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            desk.edit(entry, request.user, **form.cleaned_data)
        except desk.NotAllowed as error:
            raise PermissionDenied from error
        messages.success(request, "Đã lưu mục; bạn đọc thấy bản sửa trong vài giây.")
        return redirect(_desk_url(entry.blog_id, f"muc-{entry.pk}"))
    return render(
        request,
        "live/admin/entry_form.html",
        {"page_title": "Sửa mục tường thuật", "entry": entry, "form": form},
    )


@require_http_methods(["GET", "POST"])
def entry_delete(request, entry_id: int):
    """Asks first; a deleted entry can still be restored from the desk."""
    entry = get_object_or_404(LiveEntry, pk=entry_id)
    if not desk.can_approve(request.user):
        raise PermissionDenied
    if request.method == "POST":
        desk.delete(entry, request.user)
        messages.success(request, "Đã gỡ mục khỏi trang; có thể khôi phục ở cuối trang này.")
        return redirect(_desk_url(entry.blog_id))
    return render(
        request,
        "live/admin/entry_delete.html",
        {"page_title": "Gỡ mục tường thuật", "entry": entry},
    )


@require_POST
def blog_state(request, blog_id: int, action: str):
    blog = get_object_or_404(LiveBlogPage, pk=blog_id)
    try:
        if action == "start":
            desk.start(blog, request.user)
            messages.success(request, "Đã bắt đầu tường thuật.")
        elif action == "end":
            desk.end(blog, request.user)
            messages.success(request, "Đã kết thúc; trang thôi tự cập nhật.")
        else:
            raise PermissionDenied
    except desk.NotAllowed as error:
        raise PermissionDenied from error
    return redirect(_desk_url(blog.pk))


@require_POST
def question_action(request, question_id: int, action: str):
    question = get_object_or_404(Question, pk=question_id)
    try:
        if action == "forward":
            questions.forward(question, request.user)
            messages.success(request, "Đã chuyển câu hỏi cho khách mời.")
        elif action == "reject":
            questions.reject(question, request.user)
            messages.success(request, "Đã từ chối câu hỏi.")
        elif action == "merge":
            into = get_object_or_404(
                Question, pk=request.POST.get("into", 0), session_id=question.session_id
            )
            questions.merge(question, into, request.user)
            messages.success(request, f"Đã gộp vào câu hỏi #{into.pk}.")
        elif action == "answer":
            form = AnswerForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Nhập nội dung trả lời.")
            else:
                questions.answer(question, request.user, form.cleaned_data["text"])
                messages.success(request, "Đã đăng câu trả lời.")
        else:
            raise PermissionDenied
    except desk.NotAllowed as error:
        raise PermissionDenied from error
    return redirect(_desk_url(question.session_id, f"cau-hoi-{question.pk}"))


@require_http_methods(["GET", "POST"])
def question_edit(request, question_id: int):
    question = get_object_or_404(Question, pk=question_id)
    if not desk.can_moderate(request.user):
        raise PermissionDenied
    form = QuestionEditForm(request.POST or None, initial={"text": question.text})
    if request.method == "POST" and form.is_valid():
        questions.edit(question, request.user, form.cleaned_data["text"])
        messages.success(request, "Đã sửa câu hỏi.")
        return redirect(_desk_url(question.session_id, f"cau-hoi-{question.pk}"))
    return render(
        request,
        "live/admin/question_form.html",
        {"page_title": "Sửa câu hỏi", "question": question, "form": form},
    )


@require_POST
def transcript(request, blog_id: int):
    blog = get_object_or_404(LiveBlogPage, pk=blog_id, mode="qa")
    try:
        story = questions.transcript_story(blog, request.user)
    except desk.NotAllowed as error:
        raise PermissionDenied from error
    messages.success(request, "Đã tạo bài từ biên bản giao lưu và gửi vào quy trình duyệt.")
    return redirect(reverse("wagtailadmin_pages:edit", args=[story.pk]))


@require_POST
def entry_to_story(request, entry_id: int):
    entry = get_object_or_404(LiveEntry, pk=entry_id)
    try:
        story = questions.entry_story(entry, request.user)
    except desk.NotAllowed as error:
        raise PermissionDenied from error
    messages.success(request, "Đã tạo bài riêng từ mục này và gửi vào quy trình duyệt.")
    return redirect(reverse("wagtailadmin_pages:edit", args=[story.pk]))
