"""Staff screens of the royalty ledger (under /admin/nhuan-but/). Thin: the rules live in
periods, grading, adjustments and ledger.

Every screen that changes something refuses a locked month, on GET and on POST, with the same
clear message; the functions in periods, grading and adjustments refuse it again inside their
transaction.
"""

from datetime import timedelta

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.admin import messages
from wagtail.log_actions import log

from toasoan.newsroom.models import ArticlePage

from . import adjustments, exports, grading, ledger, periods, uses
from .access import ADJUST, EXPORT, GRADE, LOCK, viewer_for
from .forms import AdjustmentForm, GradeForm, MonthSettingsForm, ShareFormSet
from .models import Adjustment, Grade, RoyaltyMonth
from .money import points_text
from .periods import LedgerError


def plain_points(value):
    """3.0 → 3 and 12.50 → 12.5 in the points box (never 1E+1)."""
    return value.quantize(1) if value == value.to_integral_value() else value.normalize()


def month_url(month: RoyaltyMonth) -> str:
    return reverse("royalties:month", args=[month.key])


def grade_url(grade: Grade) -> str:
    if grade.use_key:
        return reverse("royalties:grade_use", args=[grade.use_key])
    return reverse("royalties:grade", args=[grade.article_id])


def _month(key: str) -> RoyaltyMonth:
    try:
        start = periods.month_from_key(key)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(RoyaltyMonth, month=start)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _refuse_locked(request, month: RoyaltyMonth):
    """The one answer to any attempt to change a locked month, from any screen."""
    messages.error(request, periods.locked_message(month))
    return redirect(month_url(month))


# --- months ---------------------------------------------------------------------------------
def index(request):
    viewer = viewer_for(request.user)
    current = periods.get_month(timezone.localdate())  # the current month is always listed
    used = RoyaltyMonth.objects.filter(
        Q(pk=current.pk)
        | Q(status=RoyaltyMonth.Status.LOCKED)
        | Q(grades__isnull=False)
        | Q(adjustments__isnull=False)
    ).distinct()
    months = Paginator(used, 24).get_page(request.GET.get("p"))
    rows = [(month, ledger.build_ledger(month, viewer)) for month in months]
    can_grade = request.user.has_perm(GRADE)
    return render(
        request,
        "royalties/admin/index.html",
        {
            "page_title": "Sổ nhuận bút",
            "rows": rows,
            "months": months,
            "viewer": viewer,
            "ungraded": grading.ungraded_stories().count() if can_grade else None,
        },
    )


def month_detail(request, key: str):
    month = _month(key)
    viewer = viewer_for(request.user)
    book = ledger.build_ledger(month, viewer)
    user = request.user
    is_open = not month.is_locked
    grades = {}
    if user.has_perm(GRADE):
        grades = {
            g.pk: grade_url(g)
            for g in month.grades.only("pk", "article_id", "use_key")
            if g.article_id
        }
    return render(
        request,
        "royalties/admin/month.html",
        {
            "page_title": f"Nhuận bút tháng {month.label}",
            "month": month,
            "book": book,
            "viewer": viewer,
            "work_lines": [line for line in book.lines if not line.is_adjustment],
            "adjustment_lines": [line for line in book.lines if line.is_adjustment],
            "grade_pages": grades,
            "can_configure": is_open and user.has_perm(LOCK),
            "can_lock": is_open and user.has_perm(LOCK),
            "can_adjust": is_open and user.has_perm(ADJUST),
            "can_grade": is_open and user.has_perm(GRADE),
            "can_export": user.has_perm(EXPORT),
            "mine": next((p for p in book.people if p.person_key == f"u{user.pk}"), None),
            "work_count_rule": ledger.WORK_COUNT_RULE,
        },
    )


def _month_form(request, key: str, form_class, change):
    """A form that changes an open month (its settings, an adjustment), with its screen's texts
    on the form class: a locked month is refused before and, if it was locked meanwhile, after;
    another refusal of the rules shows on the form; done, back to the month."""
    month = _month(key)
    if month.is_locked:
        return _refuse_locked(request, month)
    form = form_class(request.POST or None, month=month)
    if request.method == "POST" and form.is_valid():
        try:
            change(month, user=request.user, **form.cleaned_data)
        except LedgerError as error:
            if month.is_locked:  # `periods.locked_row` re-read it: locked meanwhile
                return _refuse_locked(request, month)
            form.add_error(None, error.message)
        else:
            messages.success(request, form.done.format(month=month.label))
            return redirect(month_url(month))
    return render(
        request,
        "royalties/admin/form.html",
        {
            "page_title": form.title.format(month=month.label),
            "form": form,
            "month": month,
            "submit": form.submit,
            "intro": form.intro,
        },
    )


@permission_required(LOCK, raise_exception=True)
@require_http_methods(["GET", "POST"])
def configure(request, key: str):
    return _month_form(request, key, MonthSettingsForm, periods.configure_month)


@permission_required(LOCK, raise_exception=True)
@require_http_methods(["GET", "POST"])
def lock(request, key: str):
    month = _month(key)
    if month.is_locked:
        return _refuse_locked(request, month)
    if request.method == "POST":
        try:
            periods.lock_month(month, user=request.user)
        except LedgerError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"Đã duyệt và khoá sổ kỳ {month.label}. Bảng thanh toán đã sẵn sàng."
            )
        return redirect(month_url(month))
    book = ledger.build_ledger(month, viewer_for(request.user))
    end = periods.next_month(month.month)
    ungraded = grading.ungraded_stories().filter(
        first_published_at__date__gte=month.month, first_published_at__date__lt=end
    )
    return render(
        request,
        "royalties/admin/lock.html",
        {
            "page_title": f"Duyệt và khoá sổ tháng {month.label}",
            "month": month,
            "book": book,
            "ungraded": ungraded.count(),
            "ungraded_print": len(grading.ungraded_print_uses(month.month, end)),
            "too_early": timezone.localdate() < end,
            "opens_on": end,
        },
    )


@permission_required(ADJUST, raise_exception=True)
@require_http_methods(["GET", "POST"])
def adjust(request, key: str):
    return _month_form(request, key, AdjustmentForm, adjustments.add_adjustment)


def _remove_from_month(request, line, remove, *, done: str, back: str):
    """Remove a grade or an adjustment; refused (its month locked meanwhile), back to the month
    with the reason."""
    try:
        remove(line, user=request.user)
    except LedgerError as error:
        messages.error(request, error.message)
        return redirect(month_url(line.month))
    messages.success(request, done)
    return redirect(back)


@permission_required(ADJUST, raise_exception=True)
@require_POST
def delete_adjustment(request, pk: int):
    adjustment = get_object_or_404(Adjustment.objects.select_related("month"), pk=pk)
    back = month_url(adjustment.month)
    return _remove_from_month(
        request,
        adjustment,
        adjustments.delete_adjustment,
        done="Đã xoá dòng điều chỉnh.",
        back=back,
    )


@permission_required(EXPORT, raise_exception=True)
def export(request, key: str, fmt: str):
    month = _month(key)
    book = ledger.build_ledger(month, viewer_for(request.user))
    if fmt == "xlsx":
        from . import workbook  # openpyxl: not in every web worker (docs/architecture.md)

        body, content_type = workbook.payment_workbook(book), exports.XLSX_TYPE
    else:
        body, content_type = exports.payment_csv(book), "text/csv; charset=utf-8"
    log(
        instance=month,
        action="royalties.export",
        user=request.user,
        data={"month": month.label, "format": fmt, "total": book.total},
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.file_name(book, fmt)}"'
    return response


# --- grading --------------------------------------------------------------------------------
@permission_required(GRADE, raise_exception=True)
def queue(request):
    stories = grading.ungraded_stories().prefetch_related("bylines__pen_name")
    chosen = request.GET.get("thang", "")
    start_chosen = None
    if chosen:
        try:
            start_chosen = periods.month_from_key(chosen)
        except ValueError:
            start_chosen = None
        if start_chosen:
            stories = stories.filter(
                first_published_at__date__gte=start_chosen,
                first_published_at__date__lt=periods.next_month(start_chosen),
            )
    page = Paginator(stories, 50).get_page(request.GET.get("p"))
    locked = set(
        RoyaltyMonth.objects.filter(status=RoyaltyMonth.Status.LOCKED).values_list(
            "month", flat=True
        )
    )
    rows = []
    for story in page:
        start = periods.first_of_month(story.first_published_at)
        rows.append({"story": story, "month": start, "locked": start in locked})
    # Printings are graded apart from the web: those of the chosen month, else of the last
    # three months (older ones are reached by choosing their month).
    since = start_chosen or periods.first_of_month(timezone.localtime() - timedelta(days=62))
    printed = grading.ungraded_print_uses(
        since, periods.next_month(start_chosen) if start_chosen else None
    )
    print_rows = [
        {"use": use, "locked": periods.first_of_month(use.used_on) in locked} for use in printed
    ]
    return render(
        request,
        "royalties/admin/queue.html",
        {
            "page_title": "Tác phẩm chờ chấm nhuận bút",
            "page": page,
            "rows": rows,
            "print_rows": print_rows,
            "chosen": chosen,
            "months": RoyaltyMonth.objects.all()[:24],
        },
    )


def _shares_initial(grade: Grade | None, article: ArticlePage) -> list[dict]:
    if grade is not None:
        return [
            {"pen_name": s.pen_name, "role": s.role, "percent": s.percent}
            for s in grade.shares.all()
            if s.pen_name
        ]
    return [
        {"pen_name": s.pen_name, "role": s.role, "percent": s.percent}
        for s in grading.suggested_shares(article)
    ]


@permission_required(GRADE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def grade(request, page_id: int):
    """Grade a story's web publication."""
    return _grade(request, get_object_or_404(ArticlePage, pk=page_id), None)


@permission_required(GRADE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def grade_use(request, key: str):
    """Grade one other use of a story (a printing: issue and page), apart from its web use."""
    use = uses.use_of(key)
    if use is None:
        raise Http404
    return _grade(request, get_object_or_404(ArticlePage, pk=use.article_id), use)


def _grade(request, article: ArticlePage, use: uses.Use | None):
    existing = grading.grade_of(article, use)
    medium = use.medium if use else uses.WEB
    back = _next_url(request, reverse("royalties:queue"))
    if existing and existing.month.is_locked:
        return _refuse_locked(request, existing.month)
    if not article.first_published_at:
        messages.error(request, "Bài chưa xuất bản: chỉ chấm nhuận bút cho tác phẩm đã xuất bản.")
        return redirect(back)
    months = periods.open_months_from(grading.used_at(article, use))
    regulations = {m.regulation for m in months if m.regulation}
    if not regulations:
        messages.error(
            request,
            "Chưa có quy chế nhuận bút cho kỳ này: Quản trị cần tạo quy chế "
            "(Nhuận bút → Quy chế) trước khi chấm.",
        )
        return redirect(back)
    default_month = existing.month if existing else months[0]
    initial = {"month": default_month}
    if existing:
        initial.update(
            genre=existing.genre,
            points=plain_points(existing.points),
            multipliers=list(existing.multipliers.all()),
            note=existing.note,
        )
    else:
        genre = grading.suggested_genre(article, default_month.regulation, medium)
        initial.update(genre=genre, points=plain_points(genre.min_points) if genre else None)
    data = request.POST if request.method == "POST" else None
    form = GradeForm(data, initial=initial, months=months, regulations=regulations, medium=medium)
    formset = ShareFormSet(data, initial=_shares_initial(existing, article), prefix="shares")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        shares = [
            grading.ShareInput(
                f.cleaned_data["pen_name"], f.cleaned_data["role"], f.cleaned_data["percent"]
            )
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            done = grading.grade_story(
                article,
                month=form.cleaned_data["month"],
                genre=form.cleaned_data["genre"],
                points=form.cleaned_data["points"],
                multipliers=form.cleaned_data["multipliers"],
                shares=shares,
                note=form.cleaned_data["note"],
                user=request.user,
                use=use,
            )
        except LedgerError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                f"Đã chấm “{done.work_title}”: {done.genre_name}, "
                f"{points_text(done.points)} điểm, kỳ {done.month.label}.",
            )
            return redirect(back)
    web_grade = grading.grade_of(article) if use else None
    return render(
        request,
        "royalties/admin/grade.html",
        {
            "page_title": (
                ("Sửa chấm nhuận bút" if existing else "Chấm nhuận bút")
                + (f" ({use.medium_label.lower()})" if use else "")
            ),
            "article": article,
            "use": use,
            "web_grade": web_grade,
            "existing": existing,
            "form": form,
            "formset": formset,
            "next": back,
            "ungrade_url": (
                reverse("royalties:ungrade_use", args=[use.key])
                if use
                else reverse("royalties:ungrade", args=[article.pk])
            ),
            "bylines": article.bylines.select_related("pen_name").order_by("sort_order"),
            "published": timezone.localtime(article.first_published_at),
        },
    )


@permission_required(GRADE, raise_exception=True)
@require_POST
def ungrade(request, page_id: int):
    existing = get_object_or_404(
        Grade.objects.select_related("month"), article_id=page_id, medium=uses.WEB, use_key=""
    )
    return _ungrade(request, existing)


@permission_required(GRADE, raise_exception=True)
@require_POST
def ungrade_use(request, key: str):
    return _ungrade(request, get_object_or_404(Grade.objects.select_related("month"), use_key=key))


def _ungrade(request, existing: Grade):
    return _remove_from_month(
        request,
        existing,
        grading.ungrade,
        done=f"Đã huỷ phần chấm của “{existing.work_title}”.",
        back=_next_url(request, month_url(existing.month)),
    )
