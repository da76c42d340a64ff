"""The royalty rules: grading, months, locking, adjustments, and who sees which lines.

Every change goes through a function here, inside a transaction that locks the month's row,
refuses a locked month with a clear message (`LedgerError`), and writes an audit-log entry.
Views only call these functions.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from wagtail.log_actions import log

from toasoan.core.text import fold, nfc
from toasoan.newsroom.models import ArticlePage, PenName, published_articles

from .models import (
    Adjustment,
    Department,
    DepartmentMember,
    Genre,
    Grade,
    LedgerLine,
    Multiplier,
    Regulation,
    RoyaltyMonth,
    Share,
)
from .money import basis_points, equal_shares, pay_works, points_text, vnd

GRADE = "royalties.grade_work"
LOCK = "royalties.lock_month"
VIEW_ALL = "royalties.view_all_lines"
EXPORT = "royalties.export_ledger"
NO_DEPARTMENT = "Chưa xếp phòng ban"


class LedgerError(Exception):
    """A refused change; the message is shown to the user as it is, and nothing changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def locked_message(month: RoyaltyMonth) -> str:
    return (
        f"Kỳ nhuận bút tháng {month.label} đã duyệt và khoá sổ: không thể thay đổi. "
        "Muốn sửa số tiền đã chi, hãy lập dòng điều chỉnh trong một kỳ sau đang mở."
    )


# --- months -----------------------------------------------------------------------------------
def first_of_month(day: date | datetime) -> date:
    if isinstance(day, datetime):
        day = timezone.localtime(day).date()
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def get_month(day: date | datetime) -> RoyaltyMonth:
    """The month containing `day`, created on first use with the regulation then in force."""
    start = first_of_month(day)
    month = RoyaltyMonth.objects.filter(month=start).first()
    if month is None:
        regulation = Regulation.in_force(start)
        month, _ = RoyaltyMonth.objects.get_or_create(
            month=start,
            defaults={
                "regulation": regulation,
                "point_value": regulation.point_value if regulation else 0,
            },
        )
    elif month.regulation_id is None and not month.is_locked:
        # Opened before any regulation existed (or its regulation was deleted): take the one
        # now in force, so grading can start without a trip to the month's settings.
        regulation = Regulation.in_force(start)
        if regulation is not None:
            month.regulation = regulation
            month.point_value = month.point_value or regulation.point_value
            RoyaltyMonth.objects.filter(pk=month.pk, regulation=None).update(
                regulation=regulation, point_value=month.point_value
            )
    return month


def month_from_key(key: str) -> date:
    """`2025-11` → 1 Nov 2025; ValueError for anything else."""
    year, _, number = key.partition("-")
    return date(int(year), int(number), 1)


def _locked_row(month: RoyaltyMonth) -> RoyaltyMonth:
    """Re-read the month in place under a row lock (inside a transaction); refuse it if locked."""
    month.refresh_from_db(from_queryset=RoyaltyMonth.objects.select_for_update())
    if month.is_locked:
        raise LedgerError(locked_message(month))
    return month


def open_months_from(day: date | datetime) -> list[RoyaltyMonth]:
    """Open months a story published on `day` can be paid in: its own month or a later one."""
    get_month(day)
    get_month(timezone.localdate())
    return list(
        RoyaltyMonth.objects.filter(
            month__gte=first_of_month(day), status=RoyaltyMonth.Status.OPEN
        ).order_by("month")
    )


@transaction.atomic
def configure_month(
    month: RoyaltyMonth,
    *,
    regulation: Regulation | None,
    point_value: int,
    fund_cap: int | None,
    user,
) -> RoyaltyMonth:
    month = _locked_row(month)
    before = {"point_value": month.point_value, "fund_cap": month.fund_cap}
    month.regulation, month.point_value, month.fund_cap = regulation, point_value, fund_cap
    month.save(update_fields=["regulation", "point_value", "fund_cap"])
    log(
        instance=month,
        action="royalties.configure",
        user=user,
        data={
            "month": month.label,
            "before": before,
            "point_value": point_value,
            "fund_cap": fund_cap,
            "regulation": str(regulation) if regulation else "",
        },
    )
    return month


# --- people and departments -------------------------------------------------------------------
def person_of(pen_name: PenName) -> tuple[int | None, str]:
    """(user id, full name) behind a pen name; an outside contributor has no user."""
    user = pen_name.staff_member
    if user is not None:
        return user.pk, nfc(user.get_full_name() or user.get_username())
    return None, nfc(pen_name.outside_contributor or pen_name.name)


def person_key(user_id: int | None, person_name: str) -> str:
    """Who is paid: a staff member by account, an outside contributor by real name."""
    return f"u{user_id}" if user_id else f"c:{fold(person_name)}"


@dataclass
class DepartmentMap:
    by_user: dict[int, Department]
    by_pen_name: dict[int, Department]

    @classmethod
    def load(cls) -> "DepartmentMap":
        members = DepartmentMember.objects.select_related("department")
        return cls(
            {m.user_id: m.department for m in members if m.user_id},
            {m.pen_name_id: m.department for m in members if m.pen_name_id},
        )

    def of(self, user_id: int | None, pen_name_id: int | None) -> Department | None:
        if user_id and user_id in self.by_user:
            return self.by_user[user_id]
        return self.by_pen_name.get(pen_name_id) if pen_name_id else None


@dataclass(frozen=True)
class Viewer:
    """Which lines a user may see: all (accounting, editor-in-chief), a department, or own."""

    user_id: int
    sees_all: bool
    departments: frozenset[int] = frozenset()

    def can_see(self, line: "Line") -> bool:
        return (
            self.sees_all or line.user_id == self.user_id or line.department_id in self.departments
        )

    @property
    def scope_label(self) -> str:
        if self.sees_all:
            return "toàn tòa soạn"
        if self.departments:
            names = Department.objects.filter(pk__in=self.departments).values_list(
                "name", flat=True
            )
            return "của bạn và " + ", ".join(names)
        return "của riêng bạn"


def viewer_for(user) -> Viewer:
    if user.has_perm(VIEW_ALL):
        return Viewer(user.pk, True)
    heads = DepartmentMember.objects.filter(user=user, is_head=True).values_list(
        "department_id", flat=True
    )
    return Viewer(user.pk, False, frozenset(heads))


# --- grading ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShareInput:
    pen_name: PenName
    role: str
    percent: Decimal


def suggested_shares(article: ArticlePage) -> list[ShareInput]:
    """Equal shares for the story's bylines, in byline order (writer first…)."""
    bylines = list(article.bylines.select_related("pen_name").order_by("sort_order"))
    percents = equal_shares(len(bylines))
    return [
        ShareInput(b.pen_name, b.role if b.role in dict(Share.ROLES) else "khac", p)
        for b, p in zip(bylines, percents, strict=True)
    ]


def suggested_genre(article: ArticlePage, regulation: Regulation | None) -> Genre | None:
    if regulation is None:
        return None
    genres = list(regulation.genres.all())
    return next((g for g in genres if g.article_kind == article.kind), None)


def _check_shares(shares: Sequence[ShareInput]) -> None:
    if not shares:
        raise LedgerError("Cần ít nhất một người hưởng nhuận bút.")
    seen = set()
    for share in shares:
        if share.percent <= 0:
            raise LedgerError(f"Tỷ lệ của {share.pen_name} phải lớn hơn 0 %.")
        try:
            basis_points(share.percent)
        except ValueError as error:
            raise LedgerError(str(error)) from None
        if (share.pen_name.pk, share.role) in seen:
            raise LedgerError(f"{share.pen_name} được nhập hai lần với cùng vai trò.")
        seen.add((share.pen_name.pk, share.role))
    total = sum(Decimal(s.percent) for s in shares)
    if total != 100:
        raise LedgerError(f"Tổng tỷ lệ chia phải đúng 100 % (đang là {points_text(total)} %).")


@transaction.atomic
def grade_story(
    article: ArticlePage,
    *,
    month: RoyaltyMonth,
    genre: Genre,
    points: Decimal,
    multipliers: Iterable[Multiplier] = (),
    shares: Sequence[ShareInput],
    note: str = "",
    user,
) -> Grade:
    """Grade (or re-grade) a published story into an open month."""
    if not article.first_published_at:
        raise LedgerError("Chỉ chấm nhuận bút cho tác phẩm đã xuất bản.")
    existing = Grade.objects.filter(article=article).select_related("month").first()
    if existing is not None:
        _locked_row(existing.month)
    month = _locked_row(month)
    if month.month < first_of_month(article.first_published_at):
        raise LedgerError(
            f"Tác phẩm xuất bản tháng {first_of_month(article.first_published_at):%m/%Y}: "
            f"không thể chi trong kỳ {month.label} trước đó."
        )
    if month.regulation_id is None or genre.regulation_id != month.regulation_id:
        raise LedgerError(
            f"Thể loại “{genre.name}” không thuộc quy chế áp dụng cho kỳ {month.label}."
        )
    points = Decimal(points)
    if not genre.min_points <= points <= genre.max_points:
        raise LedgerError(
            f"Thể loại “{genre.name}” được chấm từ {points_text(genre.min_points)} đến "
            f"{points_text(genre.max_points)} điểm (đã nhập {points_text(points)})."
        )
    multipliers = list(multipliers)
    if any(m.regulation_id != genre.regulation_id for m in multipliers):
        raise LedgerError("Hệ số không thuộc quy chế áp dụng cho kỳ này.")
    _check_shares(shares)

    factor = Decimal(1)
    for multiplier in multipliers:
        factor *= multiplier.factor
    grade = existing or Grade(article=article)
    grade.article_title = article.title
    grade.published_at = article.first_published_at
    grade.month = month
    grade.genre, grade.genre_name = genre, genre.name
    grade.points, grade.factor, grade.note = points, factor, nfc(note).strip()
    grade.multiplier_names = ", ".join(str(m) for m in multipliers)
    grade.graded_by = user
    grade.save()
    grade.multipliers.set(multipliers)
    grade.shares.all().delete()
    for share in shares:
        user_id, name = person_of(share.pen_name)
        Share.objects.create(
            grade=grade,
            pen_name=share.pen_name,
            pen_name_text=share.pen_name.name,
            user_id=user_id,
            person_name=name,
            role=share.role,
            percent=share.percent,
        )
    log(
        instance=grade,
        action="royalties.regrade" if existing else "royalties.grade",
        user=user,
        data={
            "title": article.title,
            "month": month.label,
            "genre": genre.name,
            "points": points_text(points),
            "factor": points_text(factor),
            "shares": [f"{s.pen_name.name} {s.role} {s.percent}%" for s in shares],
        },
    )
    return grade


@transaction.atomic
def ungrade(grade: Grade, *, user) -> None:
    _locked_row(grade.month)
    log(
        instance=grade,
        action="royalties.ungrade",
        user=user,
        data={"title": grade.article_title, "month": grade.month.label},
    )
    grade.delete()


def ungraded_stories():
    """Published stories nobody has graded yet, oldest first (the grading queue)."""
    return (
        published_articles().filter(royalty_grade__isnull=True).order_by("first_published_at", "pk")
    )


# --- adjustments ------------------------------------------------------------------------------
@transaction.atomic
def add_adjustment(
    month: RoyaltyMonth,
    *,
    corrects: RoyaltyMonth,
    pen_name: PenName,
    amount: int,
    reason: str,
    user,
) -> Adjustment:
    month = _locked_row(month)
    if not corrects.is_locked:
        raise LedgerError(
            f"Kỳ {corrects.label} chưa khoá sổ: hãy sửa trực tiếp phần chấm trong kỳ đó."
        )
    if corrects.month >= month.month:
        raise LedgerError(
            f"Điều chỉnh cho kỳ {corrects.label} phải được chi trong một kỳ sau kỳ đó."
        )
    if not amount:
        raise LedgerError("Số tiền điều chỉnh phải khác 0.")
    reason = nfc(reason).strip()
    if not reason:
        raise LedgerError("Dòng điều chỉnh cần ghi lý do.")
    user_id, name = person_of(pen_name)
    adjustment = Adjustment.objects.create(
        month=month,
        corrects=corrects,
        pen_name=pen_name,
        pen_name_text=pen_name.name,
        user_id=user_id,
        person_name=name,
        amount=amount,
        reason=reason,
        created_by=user,
    )
    log(
        instance=adjustment,
        action="royalties.adjust",
        user=user,
        data={
            "month": month.label,
            "corrects": corrects.label,
            "person": name,
            "pen_name": pen_name.name,
            "amount": amount,
            "reason": reason,
        },
    )
    return adjustment


@transaction.atomic
def delete_adjustment(adjustment: Adjustment, *, user) -> None:
    _locked_row(adjustment.month)
    log(
        instance=adjustment,
        action="royalties.unadjust",
        user=user,
        data={"month": adjustment.month.label, "amount": adjustment.amount},
    )
    adjustment.delete()


# --- the ledger -------------------------------------------------------------------------------
@dataclass
class Line:
    """A contributor's part of one work, or an adjustment line, in one month."""

    person_key: str
    user_id: int | None
    person_name: str
    pen_name_text: str
    department_id: int | None
    department_name: str
    gross: int
    amount: int = 0
    grade_id: int | None = None
    adjustment_id: int | None = None
    work_title: str = ""
    genre_name: str = ""
    role: str = ""
    percent: Decimal | None = None
    points: Decimal = Decimal(0)
    published_at: datetime | None = None
    note: str = ""

    @property
    def is_adjustment(self) -> bool:
        return self.adjustment_id is not None

    @property
    def role_label(self) -> str:
        return dict(Share.ROLES).get(self.role, self.role)


@dataclass
class PersonRow:
    person_key: str
    person_name: str
    department_name: str
    pen_names: list[str] = field(default_factory=list)
    works: set = field(default_factory=set)
    points: Decimal = Decimal(0)
    gross: int = 0
    adjustments: int = 0
    amount: int = 0
    number: int = 0

    @property
    def pen_names_text(self) -> str:
        return ", ".join(self.pen_names)

    @property
    def work_count(self) -> int:
        return len(self.works)


@dataclass
class DepartmentRow:
    name: str
    people: set = field(default_factory=set)
    works: set = field(default_factory=set)
    points: Decimal = Decimal(0)
    amount: int = 0
    number: int = 0


@dataclass
class Ledger:
    month: RoyaltyMonth
    lines: list[Line]  # the lines this viewer may see
    people: list[PersonRow]
    departments: list[DepartmentRow]
    works_gross: int  # the whole month's works before the cap (every line, not only visible)
    works_paid: int  # the whole month's works after the cap
    adjustments_total: int

    @property
    def capped(self) -> bool:
        return self.works_paid < self.works_gross

    @property
    def scale_percent(self) -> Decimal:
        """What share of their graded amount people are paid under the cap (e.g. 86.5)."""
        if not self.works_gross:
            return Decimal(100)
        return (Decimal(self.works_paid) * 100 / self.works_gross).quantize(Decimal("0.1"))

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def work_count(self) -> int:
        return len({line.grade_id for line in self.lines if line.grade_id})

    @property
    def works_gross_visible(self) -> int:
        return sum(line.gross for line in self.lines if not line.is_adjustment)

    @property
    def adjustments_visible(self) -> int:
        return sum(line.amount for line in self.lines if line.is_adjustment)

    @property
    def points(self) -> Decimal:
        return sum((line.points for line in self.lines), Decimal(0))


def _computed_lines(month: RoyaltyMonth) -> list[Line]:
    """An open month's lines, computed now from its grades, point value, cap and adjustments."""
    departments = DepartmentMap.load()
    names = {}
    grades = month.grades.prefetch_related(
        Prefetch("shares", queryset=Share.objects.select_related("user"))
    ).order_by("published_at", "pk")
    grades = list(grades)
    shares_of = {grade.pk: list(grade.shares.all()) for grade in grades}
    money = pay_works(
        [(g.points, g.factor, [basis_points(s.percent) for s in shares_of[g.pk]]) for g in grades],
        month.point_value,
        month.fund_cap,
    )
    lines: list[Line] = []
    for grade, parts in zip(grades, money, strict=True):
        for share, (gross, paid) in zip(shares_of[grade.pk], parts, strict=True):
            if share.user is not None:
                names[share.user_id] = share.user.get_full_name() or share.user.get_username()
            department = departments.of(share.user_id, share.pen_name_id)
            lines.append(
                Line(
                    person_key=person_key(share.user_id, share.person_name),
                    user_id=share.user_id,
                    person_name=names.get(share.user_id, share.person_name),
                    pen_name_text=share.pen_name_text,
                    department_id=department.pk if department else None,
                    department_name=department.name if department else "",
                    gross=gross,
                    amount=paid,
                    grade_id=grade.pk,
                    work_title=grade.article_title,
                    genre_name=grade.genre_name,
                    role=share.role,
                    percent=share.percent,
                    points=grade.points * grade.factor * share.percent / 100,
                    published_at=grade.published_at,
                    note=grade.multiplier_names,
                )
            )
    for adjustment in month.adjustments.select_related("corrects", "user"):
        department = departments.of(adjustment.user_id, adjustment.pen_name_id)
        name = adjustment.person_name
        if adjustment.user is not None:
            name = adjustment.user.get_full_name() or adjustment.user.get_username()
        lines.append(
            Line(
                person_key=person_key(adjustment.user_id, adjustment.person_name),
                user_id=adjustment.user_id,
                person_name=name,
                pen_name_text=adjustment.pen_name_text,
                department_id=department.pk if department else None,
                department_name=department.name if department else "",
                gross=adjustment.amount,
                amount=adjustment.amount,
                adjustment_id=adjustment.pk,
                work_title=f"Điều chỉnh kỳ {adjustment.corrects.label}",
                note=adjustment.reason,
            )
        )
    return lines


def _frozen_lines(month: RoyaltyMonth) -> list[Line]:
    return [
        Line(
            person_key=row.person_key,
            user_id=row.user_id,
            person_name=row.person_name,
            pen_name_text=row.pen_name_text,
            department_id=row.department_id,
            department_name=row.department_name,
            gross=row.gross,
            amount=row.amount,
            grade_id=row.grade_id if not row.adjustment_id else None,
            adjustment_id=row.adjustment_id,
            work_title=row.work_title,
            genre_name=row.genre_name,
            role=row.role,
            percent=row.percent,
            points=row.points,
            note=row.note,
            published_at=None,
        )
        for row in month.lines.order_by("pk")
    ]


def month_lines(month: RoyaltyMonth) -> list[Line]:
    return _frozen_lines(month) if month.is_locked else _computed_lines(month)


def summarise(lines: Sequence[Line]) -> tuple[list[PersonRow], list[DepartmentRow]]:
    people: dict[str, PersonRow] = {}
    departments: dict[str, DepartmentRow] = defaultdict(lambda: DepartmentRow(""))
    for line in lines:
        department = line.department_name or NO_DEPARTMENT
        row = people.setdefault(
            line.person_key, PersonRow(line.person_key, line.person_name, department)
        )
        if line.pen_name_text not in row.pen_names:
            row.pen_names.append(line.pen_name_text)
        row.points += line.points
        row.amount += line.amount
        if line.is_adjustment:
            row.adjustments += line.amount
        else:
            row.gross += line.gross
            row.works.add(line.grade_id)
        group = departments[department]
        group.name = department
        group.people.add(line.person_key)
        group.amount += line.amount
        group.points += line.points
        if not line.is_adjustment:
            group.works.add(line.grade_id)
    people_rows = sorted(
        people.values(), key=lambda r: (fold(r.department_name), fold(r.person_name))
    )
    department_rows = sorted(
        departments.values(), key=lambda r: (r.name == NO_DEPARTMENT, fold(r.name))
    )
    for number, row in enumerate(people_rows, 1):
        row.number = number
    for number, row in enumerate(department_rows, 1):
        row.number = number
    return people_rows, department_rows


def build_ledger(month: RoyaltyMonth, viewer: Viewer) -> Ledger:
    every_line = month_lines(month)
    visible = [line for line in every_line if viewer.can_see(line)]
    people, departments = summarise(visible)
    works = [line for line in every_line if not line.is_adjustment]
    return Ledger(
        month=month,
        lines=visible,
        people=people,
        departments=departments,
        works_gross=sum(line.gross for line in works),
        works_paid=sum(line.amount for line in works),
        adjustments_total=sum(line.amount for line in every_line if line.is_adjustment),
    )


@transaction.atomic
def lock_month(month: RoyaltyMonth, *, user, today: date | None = None) -> RoyaltyMonth:
    """Approve and lock a finished month: its lines are frozen and nothing edits them again."""
    month = _locked_row(month)
    today = today or timezone.localdate()
    if today < next_month(month.month):
        raise LedgerError(
            f"Tháng {month.label} chưa kết thúc: chỉ duyệt và khoá sổ từ ngày "
            f"{next_month(month.month):%d/%m/%Y}."
        )
    lines = _computed_lines(month)
    LedgerLine.objects.bulk_create(
        LedgerLine(
            month=month,
            grade_id=line.grade_id,
            adjustment_id=line.adjustment_id,
            work_title=line.work_title,
            genre_name=line.genre_name,
            role=line.role,
            person_key=line.person_key,
            user_id=line.user_id,
            person_name=line.person_name,
            pen_name_text=line.pen_name_text,
            department_id=line.department_id,
            department_name=line.department_name,
            percent=line.percent,
            points=line.points.quantize(Decimal("0.0001")),
            gross=line.gross,
            amount=line.amount,
            note=line.note,
        )
        for line in lines
    )
    month.status = RoyaltyMonth.Status.LOCKED
    month.locked_at, month.locked_by = timezone.now(), user
    month.regulation_name = str(month.regulation) if month.regulation else ""
    month.total_paid = sum(line.amount for line in lines)
    month.save()
    log(
        instance=month,
        action="royalties.lock",
        user=user,
        data={
            "month": month.label,
            "total": month.total_paid,
            "total_text": vnd(month.total_paid),
            "lines": len(lines),
        },
    )
    return month
