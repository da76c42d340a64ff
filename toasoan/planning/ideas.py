"""What can happen to a story idea and its coverages. Each step checks the idea's state inside
a transaction, writes the log, and tells the people concerned by e-mail."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from toasoan.core.addresses import public_url
from toasoan.core.text import nfc, short_datetime
from toasoan.newsroom.forms import preferred_pen_name
from toasoan.newsroom.models import ArticleByline, ArticlePage
from toasoan.newsroom.workflow import display_name

from .models import Coverage, Idea, PlanningLog

State = Idea.State


class PlanningError(Exception):
    """A step that cannot be taken now; the message says why, in Vietnamese."""


def _log(idea: Idea, user, action: str, note: str = "", coverage: Coverage | None = None):
    PlanningLog.objects.create(idea=idea, coverage=coverage, user=user, action=action, note=note)


def _locked(idea: Idea) -> Idea:
    return Idea.objects.select_for_update().get(pk=idea.pk)


def _require(idea: Idea, *states: str) -> None:
    if idea.state not in states:
        raise PlanningError(
            f"Đề tài “{idea.title}” đang ở trạng thái “{idea.get_state_display()}”: "
            "không làm được việc này. Không có gì thay đổi."
        )


_quiet: ContextVar[bool] = ContextVar("planning_quiet", default=False)


@contextmanager
def quietly():
    """Steps taken without e-mailing anyone (the demo loader)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _tell(user, subject: str, body: str) -> None:
    """Mail a person once the step is saved: a step undone (a rule broken later in the same
    transaction) tells no one, and a slow mail server holds no rows locked. A failed send is
    logged; the step stands."""
    if user is not None and user.email and not _quiet.get():
        to = [user.email]
        transaction.on_commit(lambda: send_mail(subject, body, None, to), robust=True)


def idea_url(idea: Idea) -> str:
    return public_url(reverse("planning:idea", args=[idea.pk]))


# --- the idea -------------------------------------------------------------------------------
@transaction.atomic
def file_idea(idea: Idea, user, events=()) -> Idea:
    idea.proposed_by = user
    idea.state = State.PROPOSED
    idea.save()
    idea.events.set(events)
    _log(idea, user, "Đề xuất đề tài")
    return idea


@transaction.atomic
def refile(idea: Idea, user) -> Idea:
    """The writer's amended idea goes back to the desk."""
    idea = _locked(idea)
    _require(idea, State.PROPOSED, State.RETURNED)
    was_returned = idea.state == State.RETURNED
    idea.state = State.PROPOSED
    idea.save()
    _log(idea, user, "Sửa và gửi lại đề tài" if was_returned else "Sửa đề tài")
    return idea


@transaction.atomic
def return_idea(idea: Idea, user, note: str) -> Idea:
    note = nfc(note).strip()
    if not note:
        raise PlanningError("Ghi rõ cần sửa gì: người đề xuất sẽ đọc ghi chú này.")
    idea = _locked(idea)
    _require(idea, State.PROPOSED)
    idea.state, idea.note = State.RETURNED, note
    idea.save()
    _log(idea, user, "Trả lại đề tài", note)
    _tell(
        idea.proposed_by,
        f"Đề tài “{idea.title}” được trả lại",
        f"{display_name(user)} trả lại đề tài “{idea.title}”.\nGhi chú: {note}\n\n"
        f"Sửa và gửi lại: {idea_url(idea)}\n",
    )
    return idea


@transaction.atomic
def merge(idea: Idea, into: Idea, user) -> Idea:
    if idea.pk == into.pk:
        raise PlanningError("Không gộp một đề tài vào chính nó.")
    idea = _locked(idea)
    _require(idea, State.PROPOSED, State.RETURNED)
    if not into.is_open or into.state == State.MERGED:
        raise PlanningError(f"Đề tài “{into.title}” đã khép lại: không gộp vào được.")
    idea.state, idea.merged_into = State.MERGED, into
    idea.save()
    into.events.add(*idea.events.all())
    _log(idea, user, f"Gộp vào đề tài “{into.title}”")
    _log(into, user, f"Nhận đề tài gộp “{idea.title}” của {display_name(idea.proposed_by)}")
    _tell(
        idea.proposed_by,
        f"Đề tài “{idea.title}” được gộp",
        f"{display_name(user)} gộp đề tài “{idea.title}” vào “{into.title}”.\n{idea_url(into)}\n",
    )
    return idea


@transaction.atomic
def cancel(idea: Idea, user, note: str = "") -> Idea:
    idea = _locked(idea)
    if not idea.is_open:
        _require(idea)  # says why
    idea.state = State.CANCELLED
    idea.save()
    _log(idea, user, "Huỷ đề tài", nfc(note).strip())
    return idea


def _draft(idea: Idea) -> ArticlePage:
    """The linked draft story in the idea's section, written by the idea's author, of the
    idea's kind (from which the royalty regulation suggests its genre)."""
    page = ArticlePage(
        title=idea.title,
        sapo=idea.angle[:1000],
        kind=idea.genre,
        owner=idea.proposed_by,
        live=False,
        has_unpublished_changes=True,
    )
    section = idea.section.specific
    section.add_child(instance=page)
    pen_name = preferred_pen_name(idea.proposed_by)
    if pen_name is not None:
        ArticleByline.objects.create(page=page, pen_name=pen_name, role="viet")
    page = ArticlePage.objects.get(pk=page.pk)
    page.save_revision(user=idea.proposed_by, log_action=True)
    return page


@transaction.atomic
def approve(idea: Idea, user, coverages: list[dict] = ()) -> Idea:
    """Approve: the draft story is created and the writer's text coverage with it; further
    coverages ({kind, assignee, desk, deadline}) are assigned at once."""
    idea = _locked(idea)
    _require(idea, State.PROPOSED)
    idea.state, idea.note = State.APPROVED, ""
    if idea.article_id is None:
        idea.article = _draft(idea)
    idea.save()
    _log(idea, user, "Duyệt đề tài; tạo bài nháp")
    if not idea.coverages.filter(kind=Coverage.Kind.TEXT).exists():
        Coverage.objects.create(
            idea=idea,
            kind=Coverage.Kind.TEXT,
            assignee=idea.proposed_by,
            deadline=idea.deadline,
            status=Coverage.Status.ACCEPTED,  # they proposed it
        )
    for spec in coverages:
        add_coverage(idea, user, **spec)
    _tell(
        idea.proposed_by,
        f"Đề tài “{idea.title}” đã được duyệt",
        f"{display_name(user)} duyệt đề tài “{idea.title}”. Bài nháp đã sẵn sàng, hạn nộp "
        f"{short_datetime(idea.deadline)}.\n\n"
        f"Viết bài: {public_url(reverse('wagtailadmin_pages:edit', args=[idea.article_id]))}\n",
    )
    return idea


# --- coverages ------------------------------------------------------------------------------
def coverage_url(coverage: Coverage) -> str:
    return public_url(reverse("planning:coverage", args=[coverage.pk]))


def _announce(coverage: Coverage, user) -> None:
    idea = coverage.idea
    _tell(
        coverage.assignee,
        f"Phân công {coverage.get_kind_display().lower()}: “{idea.title}”",
        f"{display_name(user)} giao cho bạn phần {coverage.get_kind_display().lower()} "
        f"của đề tài “{idea.title}”, hạn {short_datetime(coverage.deadline)}.\n"
        f"Hướng khai thác: {idea.angle}\n\n"
        f"Nhận hoặc từ chối: {coverage_url(coverage)}\n",
    )


def _assign(coverage: Coverage, assignee, desk: Group | None) -> None:
    coverage.assignee, coverage.desk = assignee, desk
    coverage.reason = ""
    coverage.status = Coverage.Status.WAITING if (assignee or desk) else Coverage.Status.UNASSIGNED


@transaction.atomic
def add_coverage(
    idea: Idea, user, kind: str, deadline: datetime, assignee=None, desk: Group | None = None
) -> Coverage:
    idea = _locked(idea)
    if not idea.is_open or idea.state in (State.PROPOSED, State.RETURNED):
        raise PlanningError("Chỉ phân công cho đề tài đã duyệt và chưa khép lại.")
    coverage = Coverage(idea=idea, kind=kind, deadline=deadline)
    _assign(coverage, assignee, desk)
    coverage.save()
    _log(
        idea,
        user,
        f"Phân công {coverage.get_kind_display().lower()}"
        + (f" cho {coverage.who}" if coverage.who else " (chưa có người)"),
        coverage=coverage,
    )
    _announce(coverage, user)
    return coverage


@transaction.atomic
def reassign(coverage: Coverage, user, assignee=None, desk: Group | None = None) -> Coverage:
    """A new person (or desk) for the coverage; who had it before stays in the history."""
    coverage = Coverage.objects.select_for_update().get(pk=coverage.pk)
    if coverage.status == Coverage.Status.DONE:
        raise PlanningError("Phần việc này đã hoàn thành.")
    before = coverage.who or "chưa có người"
    _assign(coverage, assignee, desk)
    coverage.save()
    _log(
        coverage.idea,
        user,
        f"Phân công lại {coverage.get_kind_display().lower()}: {before} → "
        f"{coverage.who or 'chưa có người'}",
        coverage=coverage,
    )
    _announce(coverage, user)
    return coverage


def _answer(coverage: Coverage, user) -> Coverage:
    coverage = Coverage.objects.select_for_update().select_related("idea").get(pk=coverage.pk)
    mine = coverage.assignee_id == user.pk or (
        coverage.assignee_id is None
        and coverage.desk_id is not None
        and user.groups.filter(pk=coverage.desk_id).exists()
    )
    if not mine:
        raise PlanningError("Phần việc này không giao cho bạn.")
    if coverage.status != Coverage.Status.WAITING:
        raise PlanningError(
            f"Phần việc này đang ở tình trạng “{coverage.get_status_display()}”: "
            "không còn chờ bạn trả lời."
        )
    return coverage


@transaction.atomic
def accept(coverage: Coverage, user) -> Coverage:
    coverage = _answer(coverage, user)
    coverage.assignee = user  # a desk's coverage goes to whoever takes it
    coverage.status = Coverage.Status.ACCEPTED
    coverage.save()
    idea = _locked(coverage.idea)
    if idea.state == State.APPROVED:
        idea.state = State.IN_PROGRESS
        idea.save()
    _log(idea, user, f"Nhận phần {coverage.get_kind_display().lower()}", coverage=coverage)
    return coverage


@transaction.atomic
def decline(coverage: Coverage, user, reason: str) -> Coverage:
    reason = nfc(reason).strip()
    if not reason:
        raise PlanningError("Ghi lý do từ chối để người phân công sắp xếp người khác.")
    coverage = _answer(coverage, user)
    coverage.status, coverage.reason = Coverage.Status.DECLINED, reason
    coverage.save()
    _log(
        coverage.idea,
        user,
        f"Từ chối phần {coverage.get_kind_display().lower()}",
        reason,
        coverage=coverage,
    )
    return coverage


# --- following the draft ----------------------------------------------------------------------
def story_submitted(page, user) -> None:
    idea = Idea.objects.filter(article_id=page.pk).first()
    if idea and idea.state in (State.APPROVED, State.IN_PROGRESS):
        with transaction.atomic():
            Idea.objects.filter(pk=idea.pk).update(state=State.FILED, updated_at=timezone.now())
            _log(idea, user, "Bài đã nộp (gửi duyệt)")


def story_published(page) -> None:
    idea = Idea.objects.filter(article_id=page.pk).first()
    if idea and idea.state != State.PUBLISHED:
        with transaction.atomic():
            Idea.objects.filter(pk=idea.pk).update(state=State.PUBLISHED, updated_at=timezone.now())
            idea.coverages.filter(status=Coverage.Status.ACCEPTED).update(
                status=Coverage.Status.DONE
            )
            _log(idea, None, "Bài đã đăng")
