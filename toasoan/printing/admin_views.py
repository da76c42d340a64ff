"""Staff screens of the print edition (under /admin/bao-in/). Thin: the rules live in
planning, versions, icml and epaper."""

from django.contrib.auth.decorators import permission_required, user_passes_test
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages

from toasoan.core.text import vi_slug
from toasoan.newsroom.models import ArticlePage

from . import epaper, icml, planning
from .forms import IssueForm, PrintVersionForm
from .models import PageSlot, PageState, PrintIssue, PrintPage, PrintRevision
from .planning import CUT, PLAN, UPLOAD, PlanningError
from .teaser import make_teaser, teaser_hour
from .versions import (
    StaleVersion,
    current_version,
    restore_revision,
    save_version,
    web_paragraphs,
)

staff_of_print = user_passes_test(planning.may_see)


def _issue_url(issue: PrintIssue) -> str:
    return reverse("printing:issue", args=[issue.pk])


@staff_of_print
def index(request):
    issues = PrintIssue.objects.all()[:60]
    return render(
        request,
        "printing/admin/index.html",
        {"page_title": "Số báo in", "issues": issues, "can_plan": request.user.has_perm(PLAN)},
    )


@permission_required(PLAN, raise_exception=True)
@require_http_methods(["GET", "POST"])
def create(request):
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sections = [s.strip() for s in data["sections"].splitlines() if s.strip()]
        try:
            issue = planning.create_issue(
                issue_date=data["date"],
                number=data["number"],
                page_count=data["page_count"],
                sections=sections,
            )
        except IntegrityError:
            form.add_error(None, "Đã có số báo cùng ngày hoặc cùng số.")
        else:
            PrintIssue.objects.filter(pk=issue.pk).update(
                page_width_mm=data["page_width_mm"],
                page_height_mm=data["page_height_mm"],
                teaser_hour=data["teaser_hour"],
            )
            messages.success(request, f"Đã tạo {issue}.")
            return redirect(_issue_url(issue))
    return render(
        request, "printing/admin/form.html", {"page_title": "Tạo số báo in", "form": form}
    )


@staff_of_print
def issue(request, pk: int):
    """The page plan: pages with their slots, the stories to place, each page's state."""
    issue = get_object_or_404(PrintIssue, pk=pk)
    pages = list(issue.pages.all())
    placed = set(
        PageSlot.objects.filter(page__issue=issue, story__isnull=False).values_list(
            "story_id", flat=True
        )
    )
    rows = []
    for page in pages:
        rows.append(
            {
                "page": page,
                "slots": planning.slot_views(page),
                "open": page.state in (PageState.PLANNED, PageState.LAID_OUT),
                "forward": planning.next_state(page),
                "back": planning.previous_state(page),
                "may_forward": (nxt := planning.next_state(page))
                and planning.may_move(request.user, page, nxt),
                "may_back": (prv := planning.previous_state(page))
                and planning.may_move(request.user, page, prv),
            }
        )
    stories = [s for s in planning.placeable_stories()[:80] if s.pk not in placed]
    return render(
        request,
        "printing/admin/issue.html",
        {
            "page_title": str(issue),
            "issue": issue,
            "rows": rows,
            "any_open": any(row["open"] for row in rows),
            "stories": stories,
            "states": dict(PageState.choices),
            "progress": planning.issue_progress(issue),
            "teaser_hour": teaser_hour(issue),
            "can_plan": request.user.has_perm(PLAN),
            "can_upload": request.user.has_perm(UPLOAD),
            "can_cut": request.user.has_perm(CUT),
        },
    )


def _answer(request, issue: PrintIssue, error: str | None = None, ok: str | None = None):
    """Fetch calls (drag and drop) get JSON; forms (the keyboard way) a redirect with a message."""
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(
            {"ok": error is None, "message": error or ok or ""}, status=400 if error else 200
        )
    if error:
        messages.error(request, error)
    elif ok:
        messages.success(request, ok)
    return redirect(_issue_url(issue) + "#ke-hoach")


@permission_required(PLAN, raise_exception=True)
@require_POST
def place(request, pk: int):
    issue = get_object_or_404(PrintIssue, pk=pk)
    try:
        page = get_object_or_404(PrintPage, issue=issue, number=int(request.POST.get("page", "0")))
        story = get_object_or_404(
            ArticlePage.objects.live(), pk=int(request.POST.get("story", "0"))
        )
        chars = int(request.POST.get("planned_chars") or 3000)
        planning.place_story(page, story, max(0, min(chars, 100_000)))
    except (ValueError, PlanningError) as error:
        return _answer(
            request,
            issue,
            error=str(error) if isinstance(error, PlanningError) else "Dữ liệu không hợp lệ.",
        )
    return _answer(request, issue, ok=f"Đã đặt “{story.title}” vào trang {page.number}.")


@permission_required(PLAN, raise_exception=True)
@require_POST
def block(request, pk: int):
    issue = get_object_or_404(PrintIssue, pk=pk)
    page = get_object_or_404(PrintPage, issue=issue, number=int(request.POST.get("page") or 0))
    try:
        planning.block_area(
            page, request.POST.get("kind", ""), request.POST.get("label", "").strip()
        )
    except PlanningError as error:
        return _answer(request, issue, error=str(error))
    return _answer(request, issue, ok=f"Đã chặn chỗ trên trang {page.number}.")


@permission_required(PLAN, raise_exception=True)
@require_POST
def slot(request, pk: int, slot_id: int):
    """Change a slot's planned length or highlight flag, or remove it."""
    issue = get_object_or_404(PrintIssue, pk=pk)
    slot = get_object_or_404(PageSlot, pk=slot_id, page__issue=issue)
    try:
        if request.POST.get("action") == "remove":
            planning.remove_slot(slot)
            return _answer(request, issue, ok="Đã bỏ khỏi trang.")
        slot.planned_chars = max(0, min(int(request.POST.get("planned_chars") or 0), 100_000))
        slot.highlight = request.POST.get("highlight") == "on"
        slot.save(update_fields=["planned_chars", "highlight"])
    except (ValueError, PlanningError) as error:
        return _answer(
            request,
            issue,
            error=str(error) if isinstance(error, PlanningError) else "Dữ liệu không hợp lệ.",
        )
    return _answer(request, issue, ok="Đã lưu.")


@staff_of_print
@require_POST
def move(request, pk: int, number: int):
    issue = get_object_or_404(PrintIssue, pk=pk)
    page = get_object_or_404(PrintPage, issue=issue, number=number)
    target = request.POST.get("state", "")
    if not planning.may_move(request.user, page, target):
        raise PermissionDenied
    try:
        page = planning.move_page(request.user, page, target)
    except PlanningError as error:
        return _answer(request, issue, error=str(error))
    return _answer(request, issue, ok=f"Trang {page.number}: {page.get_state_display()}.")


@permission_required(UPLOAD, raise_exception=True)
@require_POST
def upload(request, pk: int):
    issue = get_object_or_404(PrintIssue, pk=pk)
    # The uploads as Django keeps them (big ones in temporary files), never read whole.
    files = [(f.name, f) for f in request.FILES.getlist("pdfs")]
    try:
        pages = epaper.attach_pdfs(issue, files)
    except epaper.PdfRefused as error:
        messages.error(request, f"Không nhận PDF: {error} Số báo không thay đổi.")
        return redirect(_issue_url(issue) + "#bao-dien-tu")
    messages.success(request, f"Đã nhận PDF {len(pages)} trang; báo điện tử đang được dựng.")
    return redirect(_issue_url(issue) + "#bao-dien-tu")


@staff_of_print
def progress(request, pk: int):
    issue = get_object_or_404(PrintIssue, pk=pk)
    return JsonResponse(
        {
            "state": issue.epaper_state,
            "label": issue.get_epaper_state_display(),
            "done": issue.epaper_done,
            "total": issue.page_count,
            "error": issue.epaper_error,
        }
    )


def story_for_print(request, story_id: int) -> ArticlePage:
    """A story the print desk may read: published (what the page plan offers), or one the
    person may edit anyway. A draft or an embargoed story of another section is not theirs
    to export by guessing its number."""
    story = get_object_or_404(ArticlePage, pk=story_id)
    if story.live or story.permissions_for_user(request.user).can_edit():
        return story
    raise PermissionDenied("Bài này chưa xuất bản và bạn không có quyền sửa nó.")


@permission_required(CUT, raise_exception=True)
@require_http_methods(["GET", "POST"])
def version(request, story_id: int):
    """The print version of a story: its own title, sapo and body, with revisions. Opening it
    writes nothing; the first save makes it (from the form, started from the web copy)."""
    story = story_for_print(request, story_id)
    current = current_version(story)
    revisions = list(current.revisions.select_related("created_by")[:20]) if current.pk else []
    base = revisions[0].number if revisions else 0
    form = PrintVersionForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            started_from = int(request.POST.get("base", ""))
        except ValueError:
            started_from = None
        try:
            save_version(
                current,
                **{k: form.cleaned_data[k] for k in ("title", "sapo", "body")},
                user=request.user,
                base=started_from,
            )
        except StaleVersion as stale:
            form.add_error(
                None,
                f"Trong lúc bạn sửa, người khác đã lưu bản in (phiên bản {stale.latest}). "
                "Chép phần bạn sửa ra, mở lại trang để xem bản mới nhất rồi sửa tiếp.",
            )
        else:
            messages.success(request, "Đã lưu bản in. Bản web không thay đổi.")
            return redirect(request.get_full_path())
    web_body = "\n\n".join(web_paragraphs(story))
    return render(
        request,
        "printing/admin/version.html",
        {
            "page_title": f"Bản in: {story.title}",
            "story": story,
            "form": form,
            "version": current,
            "base": base,
            "revisions": revisions,
            "web_chars": len(story.title) + len(story.sapo) + len(web_body),
            "print_chars": len(current.title) + len(current.sapo) + len(current.body),
            "next": request.GET.get("next", ""),
        },
    )


@permission_required(CUT, raise_exception=True)
@require_POST
def restore(request, story_id: int, revision_id: int):
    revision = get_object_or_404(PrintRevision, pk=revision_id, version__story_id=story_id)
    restore_revision(revision, request.user)
    messages.success(request, f"Đã khôi phục phiên bản {revision.number} của bản in.")
    return redirect(reverse("printing:version", args=[story_id]))


@staff_of_print
def export_icml(request, story_id: int):
    story = story_for_print(request, story_id)
    current = current_version(story)
    response = HttpResponse(
        icml.to_icml(icml.text_of(current)), content_type="application/xml; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{vi_slug(current.title, 60)}-{story.pk}.icml"'
    )
    return response


@staff_of_print
def export_photos(request, story_id: int):
    story = story_for_print(request, story_id)
    response = HttpResponse(icml.photos_zip(story), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="anh-{vi_slug(story.title, 60)}-{story.pk}.zip"'
    )
    return response


@permission_required(PLAN, raise_exception=True)
@require_POST
def teaser(request, pk: int):
    issue = get_object_or_404(PrintIssue, pk=pk)
    story = make_teaser(issue, request.user)
    if story is None:
        return _answer(
            request, issue, error="Chưa có bài nào được đánh dấu “Giới thiệu” trong số báo này."
        )
    messages.success(request, f"Đã lập “{story.title}” và gửi duyệt.")
    return redirect(reverse("wagtailadmin_pages:edit", args=[story.pk]))
