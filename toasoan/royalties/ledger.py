"""The monthly ledger (sổ nhuận bút): its lines, and their sums per person and per department.

An open month's lines are computed now from its grades, point value, fund cap and adjustments;
a locked month's are the `LedgerLine` rows frozen when it was locked (see `periods.lock_month`).

Each person's payment for the month is one payment ("một lần trả"): personal income tax is
withheld from a contributor's payment at the regulation's rate when it reaches the threshold.
A story shared by several people counts once for each of them, and once in the totals.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch

from toasoan.core.text import fold

from .access import Viewer
from .models import WITHHOLDING_RATE, WITHHOLDING_THRESHOLD, RoyaltyMonth, Share
from .money import basis_points, pay_works, points_text, vnd, withheld_tax
from .people import NO_DEPARTMENT, DepartmentMap, contributor_ids, person_key

WORK_COUNT_RULE = (
    "Số tác phẩm: tác phẩm nhiều người cùng làm được tính cho mỗi người (và mỗi phòng ban) "
    "cùng hưởng; dòng Tổng cộng đếm mỗi tác phẩm một lần."
)


@dataclass(frozen=True)
class Withholding:
    """A month's rule for personal income tax (thuế TNCN) withheld from contributors.

    `rate` None: the month was locked before tax was withheld here, so none was."""

    rate: Decimal | None
    threshold: int

    def tax(self, payment: int, is_contributor: bool) -> int:
        if self.rate is None or not is_contributor:
            return 0
        return withheld_tax(payment, self.rate, self.threshold)

    @property
    def text(self) -> str:
        if self.rate is None:
            return "Thuế TNCN: không khấu trừ trong sổ này (kỳ khoá sổ trước khi có cột thuế)"
        return (
            f"Thuế TNCN: khấu trừ {points_text(self.rate)} % với cộng tác viên nhận từ "
            f"{vnd(self.threshold)} trong kỳ; nhân sự có hợp đồng lao động tính cùng tiền lương"
        )


def withholding_of(month: RoyaltyMonth) -> Withholding:
    """The rule frozen with a locked month, else that of the month's regulation (the legal
    values if it has none)."""
    if month.is_locked:
        return Withholding(month.withholding_rate, month.withholding_threshold or 0)
    regulation = month.regulation
    if regulation is None:
        return Withholding(WITHHOLDING_RATE, WITHHOLDING_THRESHOLD)
    return Withholding(regulation.withholding_rate, regulation.withholding_threshold)


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
    is_contributor: bool = False  # paid without a labour contract: tax withheld at source

    @property
    def is_adjustment(self) -> bool:
        return self.adjustment_id is not None

    @property
    def role_label(self) -> str:
        return dict(Share.ROLES).get(self.role, self.role)


@dataclass
class PersonRow:
    """One person's payment for the month: `amount` before tax, `tax` withheld, `net` paid."""

    person_key: str
    person_name: str
    department_name: str
    is_contributor: bool = False
    pen_names: list[str] = field(default_factory=list)
    works: set = field(default_factory=set)
    points: Decimal = Decimal(0)
    gross: int = 0
    adjustments: int = 0
    amount: int = 0
    tax: int = 0
    number: int = 0

    @property
    def pen_names_text(self) -> str:
        return ", ".join(self.pen_names)

    @property
    def work_count(self) -> int:
        return len(self.works)

    @property
    def net(self) -> int:
        return self.amount - self.tax

    @property
    def payee_kind(self) -> str:
        return "Cộng tác viên" if self.is_contributor else "Nhân sự"


@dataclass
class DepartmentRow:
    """The people of the payment list in one department (a person's department is the one
    shown on their row), so the department sums add up to the list's."""

    name: str
    people: set = field(default_factory=set)
    works: set = field(default_factory=set)
    points: Decimal = Decimal(0)
    amount: int = 0
    tax: int = 0
    number: int = 0

    @property
    def net(self) -> int:
        return self.amount - self.tax


@dataclass
class Ledger:
    month: RoyaltyMonth
    lines: list[Line]  # the lines this viewer may see
    people: list[PersonRow]
    departments: list[DepartmentRow]
    works_gross: int  # the whole month's works before the cap (every line, not only visible)
    works_paid: int  # the whole month's works after the cap
    adjustments_total: int
    withholding: Withholding

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
        """Distinct stories: a shared story counts once here (see WORK_COUNT_RULE)."""
        return len({line.grade_id for line in self.lines if line.grade_id})

    @property
    def tax(self) -> int:
        return sum(person.tax for person in self.people)

    @property
    def net(self) -> int:
        return self.total - self.tax

    @property
    def works_gross_visible(self) -> int:
        return sum(line.gross for line in self.lines if not line.is_adjustment)

    @property
    def adjustments_visible(self) -> int:
        return sum(line.amount for line in self.lines if line.is_adjustment)

    @property
    def points(self) -> Decimal:
        return sum((line.points for line in self.lines), Decimal(0))


def computed_lines(month: RoyaltyMonth) -> list[Line]:
    """An open month's lines, computed now from its grades, point value, cap and adjustments."""
    departments = DepartmentMap.load()
    names = {}
    grades = month.grades.prefetch_related(
        Prefetch("shares", queryset=Share.objects.select_related("user"))
    ).order_by("published_at", "pk")
    grades = list(grades)
    shares_of = {grade.pk: list(grade.shares.all()) for grade in grades}
    adjustments = list(month.adjustments.select_related("corrects", "user"))
    contributors = contributor_ids(
        [s.user_id for shares in shares_of.values() for s in shares]
        + [a.user_id for a in adjustments]
    )
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
                    work_title=grade.work_title,
                    genre_name=grade.genre_name,
                    role=share.role,
                    percent=share.percent,
                    points=grade.points * grade.factor * share.percent / 100,
                    published_at=grade.published_at,
                    note=grade.multiplier_names,
                    is_contributor=not share.user_id or share.user_id in contributors,
                )
            )
    for adjustment in adjustments:
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
                is_contributor=not adjustment.user_id or adjustment.user_id in contributors,
            )
        )
    return lines


def frozen_lines(month: RoyaltyMonth) -> list[Line]:
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
            is_contributor=row.is_contributor,
        )
        for row in month.lines.order_by("pk")
    ]


def month_lines(month: RoyaltyMonth) -> list[Line]:
    return frozen_lines(month) if month.is_locked else computed_lines(month)


def summarise(
    lines: Sequence[Line], withholding: Withholding
) -> tuple[list[PersonRow], list[DepartmentRow]]:
    people: dict[str, PersonRow] = {}
    for line in lines:
        row = people.get(line.person_key)
        if row is None:
            department = line.department_name or NO_DEPARTMENT
            row = PersonRow(line.person_key, line.person_name, department, line.is_contributor)
            people[line.person_key] = row
        if line.pen_name_text not in row.pen_names:
            row.pen_names.append(line.pen_name_text)
        row.points += line.points
        row.amount += line.amount
        if line.is_adjustment:
            row.adjustments += line.amount
        else:
            row.gross += line.gross
            row.works.add(line.grade_id)
    departments: dict[str, DepartmentRow] = {}
    for row in people.values():
        row.tax = withholding.tax(row.amount, row.is_contributor)
        group = departments.setdefault(row.department_name, DepartmentRow(row.department_name))
        group.people.add(row.person_key)
        group.works |= row.works
        group.points += row.points
        group.amount += row.amount
        group.tax += row.tax
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
    withholding = withholding_of(month)
    people, departments = summarise(visible, withholding)
    works = [line for line in every_line if not line.is_adjustment]
    return Ledger(
        month=month,
        lines=visible,
        people=people,
        departments=departments,
        works_gross=sum(line.gross for line in works),
        works_paid=sum(line.amount for line in works),
        adjustments_total=sum(line.amount for line in every_line if line.is_adjustment),
        withholding=withholding,
    )
