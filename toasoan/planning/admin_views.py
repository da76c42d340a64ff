"""Staff screens of the planning desk (under /admin/ke-hoach/). Thin: the rules live in
access, ideas, plan, ics and mailing. A refusal is a 403 page saying why, never a 500."""

from functools import wraps

from django import forms as django_forms
from django.contrib.auth.models import Group
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from toasoan.newsroom.workflow import desk_name

from . import access, ics, ideas
from .forms import (
    ApproveForm,
    CoverageForm,
    DeclineForm,
    IdeaForm,
    ImportForm,
    MergeForm,
    ReassignForm,
    ReturnForm,
)
from .mailing import mailing, send_plan, subject_for
from .models import Coverage, DeskFeed, Event, Idea, PlanMailing, Platform, new_token
from .plan import FILTERS, day_label, day_plan, parse_day, to_chase


def refuse(request, message: str, status: int = 403):
    return render(
        request,
        "planning/admin/refused.html",
        {"page_title": "Không thực hiện được", "message": message},
        status=status,
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _idea_for(request, pk: int) -> Idea:
    return get_object_or_404(Idea.objects.select_related("section", "proposed_by"), pk=pk)


def _section_arg(request):
    value = request.GET.get("chuyen-muc") or ""
    if not value.isdigit():
        return None
    return access.plan_sections().filter(pk=int(value)).first()


def action_forms(request, idea: Idea) -> dict:
    """The desk's forms for one idea (approve, return, merge), as the idea page and the
    meeting screen show them, if the user may act on it."""
    if not access.reviews(request.user, idea.section) or idea.state != Idea.State.PROPOSED:
        return {}
    candidates = access.visible_ideas(request.user).filter(plan_date=idea.plan_date)
    return {
        "approve_form": ApproveForm(prefix=f"a{idea.pk}"),
        "return_form": ReturnForm(prefix=f"r{idea.pk}"),
        "merge_form": MergeForm(prefix=f"m{idea.pk}", idea=idea, candidates=candidates),
    }


# --- the meeting screen -----------------------------------------------------------------------
def meeting(request):
    day = parse_day(request.GET.get("ngay"))
    which = request.GET.get("loc", "")
    which = which if which in FILTERS else ""
    section = _section_arg(request)
    platform = request.GET.get("nen-tang", "")
    platform = platform if platform in Platform.values else ""
    groups = day_plan(request.user, day, which, section, platform)
    for group in groups:
        for idea in group.ideas:
            idea.forms = action_forms(request, idea)
    user = request.user
    sections = access.plan_sections() if access.sees_all(user) else access.desk_sections(user)
    return render(
        request,
        "planning/admin/meeting.html",
        {
            "page_title": f"Kế hoạch đề tài ngày {day:%d/%m/%Y}",
            "day": day,
            "day_label": day_label(day),
            "previous": day.fromordinal(day.toordinal() - 1),
            "next": day.fromordinal(day.toordinal() + 1),
            "groups": groups,
            "total": sum(g.count for g in groups),
            "filters": FILTERS,
            "which": which,
            "which_label": FILTERS[which],
            "sections": sections,
            "section": section,
            "platforms": Platform.choices,
            "platform": platform,
            "can_file": user.has_perm(access.FILE),
            "can_export": access.exports(user, section),
            "chase": to_chase(user) if user.has_perm(access.REVIEW) else None,
        },
    )


def printable(request):
    """ "Kế hoạch đề tài ngày …" as a page to print (or save as PDF from the browser)."""
    day = parse_day(request.GET.get("ngay"))
    section = _section_arg(request)
    if not access.exports(request.user, section):
        return refuse(request, access.NO_EXPORT)
    return render(
        request,
        "planning/admin/print.html",
        {
            "title": subject_for(day),
            "day_label": day_label(day),
            "groups": day_plan(request.user, day, "", section),
            "section": section,
        },
    )


def mail_settings(request):
    """When the plan goes out and to whom; "send now" for a chosen day."""
    user = request.user
    if not (access.exports(user) and access.sees_all(user)):
        return refuse(request, "Chỉ Thư ký tòa soạn và Tổng biên tập đặt lịch gửi kế hoạch.")
    row = mailing()
    form_class = django_forms.modelform_factory(
        PlanMailing,
        fields=["send_at", "recipients"],
        widgets={"recipients": django_forms.Textarea(attrs={"rows": 4})},
    )
    form = form_class(request.POST or None, instance=row)
    if request.method == "POST":
        if "send-now" in request.POST:
            day = parse_day(request.POST.get("ngay"))
            if not row.addresses:
                messages.error(request, "Chưa có người nhận: thêm địa chỉ e-mail rồi gửi.")
            else:
                send_plan(day, row.addresses)
                messages.success(
                    request, f"Đã gửi {subject_for(day)} tới {len(row.addresses)} địa chỉ."
                )
            return redirect("planning:mail")
        if form.is_valid():
            form.save()
            messages.success(request, f"Kế hoạch sẽ được gửi lúc {row.send_at:%H:%M} mỗi ngày.")
            return redirect("planning:mail")
    return render(
        request,
        "planning/admin/mail.html",
        {"page_title": "Gửi kế hoạch qua e-mail", "form": form, "row": row},
    )


# --- ideas ----------------------------------------------------------------------------------
def idea_new(request):
    if not request.user.has_perm(access.FILE):
        return refuse(request, access.NO_FILE)
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        idea = form.save(commit=False)
        ideas.file_idea(idea, request.user, form.cleaned_data["events"])
        messages.success(request, f"Đã gửi đề tài “{idea.title}” tới ban {idea.section.title}.")
        return redirect("planning:idea", idea.pk)
    return render(
        request,
        "planning/admin/idea_form.html",
        {"page_title": "Đề xuất đề tài", "form": form},
    )


def idea_edit(request, pk: int):
    idea = _idea_for(request, pk)
    if not access.can_amend(request.user, idea):
        return refuse(request, "Chỉ người đề xuất sửa đề tài, khi đề tài chưa được duyệt.")
    form = IdeaForm(request.POST or None, instance=idea)
    if request.method == "POST" and form.is_valid():
        idea = form.save()
        ideas.refile(idea, request.user)
        messages.success(request, f"Đã gửi lại đề tài “{idea.title}”.")
        return redirect("planning:idea", idea.pk)
    return render(
        request,
        "planning/admin/idea_form.html",
        {"page_title": f"Sửa đề tài: {idea.title}", "form": form, "idea": idea},
    )


def idea_detail(request, pk: int):
    idea = _idea_for(request, pk)
    user = request.user
    if not access.can_see(user, idea):
        return refuse(request, access.NO_SEE)
    reviews = access.reviews(user, idea.section)
    context = {
        "page_title": idea.title,
        "idea": idea,
        "coverages": idea.coverages.select_related("assignee", "desk"),
        "log": idea.log.select_related("user", "coverage"),
        "can_amend": access.can_amend(user, idea),
        "reviews": reviews,
        "forms": action_forms(request, idea),
    }
    if reviews and idea.is_open and idea.state not in (Idea.State.PROPOSED, Idea.State.RETURNED):
        context["coverage_form"] = CoverageForm(initial={"deadline": idea.deadline})
    return render(request, "planning/admin/idea.html", context)


def _done(request, idea: Idea, message: str):
    messages.success(request, message)
    return redirect(_back(request, reverse("planning:idea", args=[idea.pk])))


def _failed(request, idea: Idea, error: str):
    messages.error(request, error)
    return redirect(_back(request, reverse("planning:idea", args=[idea.pk])))


def _errors(form) -> str:
    return "; ".join(e for errs in form.errors.values() for e in errs)


def desk_action(view):
    """A POST on an idea by its desk: anyone else gets the refusal page; a rule the action
    breaks (PlanningError) comes back as a message on the idea, nothing changed."""

    @require_POST
    @wraps(view)
    def act(request, pk: int):
        idea = _idea_for(request, pk)
        if not access.reviews(request.user, idea.section):
            return refuse(request, access.NO_REVIEW)
        try:
            return view(request, idea)
        except ideas.PlanningError as error:
            return _failed(request, idea, str(error))

    return act


@desk_action
def idea_approve(request, idea: Idea):
    form = ApproveForm(request.POST, prefix=f"a{idea.pk}")
    if not form.is_valid():
        return _failed(request, idea, f"Chưa duyệt: {_errors(form)}")
    idea = ideas.approve(idea, request.user, form.coverages())
    return _done(request, idea, f"Đã duyệt đề tài “{idea.title}”; bài nháp đã được tạo.")


@desk_action
def idea_return(request, idea: Idea):
    form = ReturnForm(request.POST, prefix=f"r{idea.pk}")
    if not form.is_valid():
        return _failed(request, idea, form.errors["note"][0])
    ideas.return_idea(idea, request.user, form.cleaned_data["note"])
    return _done(request, idea, f"Đã trả lại đề tài “{idea.title}” kèm ghi chú.")


@desk_action
def idea_merge(request, idea: Idea):
    candidates = access.visible_ideas(request.user)
    form = MergeForm(request.POST, prefix=f"m{idea.pk}", idea=idea, candidates=candidates)
    if not form.is_valid():
        return _failed(request, idea, "Chọn đề tài để gộp vào (trong các đề tài bạn duyệt).")
    into = form.cleaned_data["into"]
    if not access.reviews(request.user, into.section):
        return refuse(request, access.NO_REVIEW)
    ideas.merge(idea, into, request.user)
    return _done(request, idea, f"Đã gộp “{idea.title}” vào “{into.title}”.")


@desk_action
def idea_cancel(request, idea: Idea):
    ideas.cancel(idea, request.user, request.POST.get("note", ""))
    return _done(request, idea, f"Đã huỷ đề tài “{idea.title}”.")


@desk_action
def coverage_add(request, idea: Idea):
    form = CoverageForm(request.POST)
    if not form.is_valid():
        return _failed(request, idea, f"Chưa phân công: {_errors(form)}")
    coverage = ideas.add_coverage(idea, request.user, **form.cleaned_data)
    return _done(request, idea, f"Đã phân công {coverage.get_kind_display().lower()}.")


# --- coverages ------------------------------------------------------------------------------
def _coverage_for(pk: int) -> Coverage:
    return get_object_or_404(Coverage.objects.select_related("idea__section", "assignee"), pk=pk)


def _answers(user, coverage: Coverage) -> bool:
    if coverage.status != Coverage.Status.WAITING:
        return False
    if coverage.assignee_id is not None:
        return coverage.assignee_id == user.pk
    return coverage.desk_id is not None and user.groups.filter(pk=coverage.desk_id).exists()


def coverage_detail(request, pk: int):
    """The page the assignment e-mail links to: accept or decline, with the history."""
    coverage = _coverage_for(pk)
    user = request.user
    reviews = access.reviews(user, coverage.idea.section)
    if not (reviews or _answers(user, coverage) or access.can_see(user, coverage.idea)):
        return refuse(request, "Phần việc này không giao cho bạn.")
    return render(
        request,
        "planning/admin/coverage.html",
        {
            "page_title": f"{coverage.get_kind_display()}: {coverage.idea.title}",
            "coverage": coverage,
            "idea": coverage.idea,
            "answers": _answers(user, coverage),
            "decline_form": DeclineForm(),
            "reassign_form": ReassignForm() if reviews else None,
            "log": coverage.log.select_related("user"),
        },
    )


def _coverage_done(request, coverage: Coverage, message: str):
    messages.success(request, message)
    return redirect(_back(request, reverse("planning:coverage", args=[coverage.pk])))


def _coverage_failed(request, coverage: Coverage, error: str):
    messages.error(request, error)
    return redirect(reverse("planning:coverage", args=[coverage.pk]))


@require_POST
def coverage_accept(request, pk: int):
    coverage = _coverage_for(pk)
    try:
        ideas.accept(coverage, request.user)
    except ideas.PlanningError as error:
        return _coverage_failed(request, coverage, str(error))
    return _coverage_done(request, coverage, f"Bạn đã nhận phần việc “{coverage}”.")


@require_POST
def coverage_decline(request, pk: int):
    coverage = _coverage_for(pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _coverage_failed(request, coverage, form.errors["reason"][0])
    try:
        ideas.decline(coverage, request.user, form.cleaned_data["reason"])
    except ideas.PlanningError as error:
        return _coverage_failed(request, coverage, str(error))
    return _coverage_done(request, coverage, "Đã từ chối; người phân công sẽ thấy lý do.")


@require_POST
def coverage_reassign(request, pk: int):
    coverage = _coverage_for(pk)
    if not access.reviews(request.user, coverage.idea.section):
        return refuse(request, access.NO_REVIEW)
    form = ReassignForm(request.POST)
    if not form.is_valid():
        return _coverage_failed(request, coverage, form.non_field_errors()[0])
    try:
        coverage = ideas.reassign(coverage, request.user, **form.cleaned_data)
    except ideas.PlanningError as error:
        return _coverage_failed(request, coverage, str(error))
    return _coverage_done(request, coverage, f"Đã giao lại cho {coverage.who}.")


# --- the events calendar --------------------------------------------------------------------
def _feeds(request) -> list[tuple]:
    """(section, feed address) of each desk the user may export."""
    user = request.user
    sections = access.plan_sections() if access.sees_all(user) else access.desk_sections(user)
    rows = []
    for section in sections:
        desk = Group.objects.filter(name=desk_name(section)).first()
        if desk is None:
            continue
        feed, _ = DeskFeed.objects.get_or_create(desk=desk)
        url = request.build_absolute_uri(reverse("planning_feed", args=[feed.token]))
        rows.append((section, feed, url))
    return rows


def events(request):
    user = request.user
    can_export = access.exports(user)
    sections = access.plan_sections() if access.sees_all(user) else access.desk_sections(user)
    return render(
        request,
        "planning/admin/events.html",
        {
            "page_title": "Lịch sự kiện",
            "events": Event.objects.select_related("section").filter(
                Q(section__isnull=True) | Q(section__in=[s.pk for s in access.plan_sections()])
            )[:300],
            "can_export": can_export,
            "can_import": user.has_perm("planning.add_event") and can_export,
            "import_form": ImportForm(sections=sections),
            "feeds": _feeds(request) if can_export else [],
        },
    )


def events_export(request):
    section = _section_arg(request)
    if not access.exports(request.user, section):
        return refuse(request, access.NO_EXPORT)
    name = f"Lịch sự kiện – {section.title}" if section else "Lịch sự kiện"
    response = HttpResponse(
        ics.to_ical(ics.desk_events(section), name), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="lich-su-kien.ics"'
    return response


@require_POST
def events_import(request):
    user = request.user
    if not (user.has_perm("planning.add_event") and access.exports(user)):
        return refuse(request, "Bạn không có quyền nhập lịch sự kiện.")
    sections = access.plan_sections() if access.sees_all(user) else access.desk_sections(user)
    form = ImportForm(request.POST, request.FILES, sections=sections)
    if not form.is_valid():
        messages.error(request, "Chọn tệp .ics để nhập. Không có gì thay đổi.")
        return redirect("planning:events")
    try:
        added, updated = ics.import_ical(
            form.cleaned_data["file"].read(ics.MAX_IMPORT_BYTES + 1),
            form.cleaned_data["section"],
        )
    except ics.CalendarError as error:
        messages.error(request, f"{error} Không có gì thay đổi.")
        return redirect("planning:events")
    messages.success(request, f"Đã nhập lịch: {added} sự kiện mới, {updated} cập nhật.")
    return redirect("planning:events")


@require_POST
def feed_renew(request, pk: int):
    feed = get_object_or_404(DeskFeed.objects.select_related("desk"), pk=pk)
    if not access.exports(request.user) or not any(f.pk == feed.pk for _, f, _ in _feeds(request)):
        return refuse(request, access.NO_EXPORT)

    feed.token = new_token()
    feed.save(update_fields=["token"])
    messages.success(request, f"Đã đổi địa chỉ lịch của {feed.desk.name}: địa chỉ cũ hết hiệu lực.")
    return redirect("planning:events")
