"""Payment periods (kỳ nhuận bút): one calendar month each, set up, then approved and locked.

Every change to a month goes through a function here or in `grading`/`adjustments`, inside a
transaction that locks the month's row and refuses a locked month with a clear message
(`LedgerError`), and writes an audit-log entry. Views only call these functions.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from .ledger import computed_lines, withholding_of
from .models import Adjustment, Grade, LedgerLine, Regulation, RoyaltyMonth
from .money import vnd


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


def locked_row(month: RoyaltyMonth) -> RoyaltyMonth:
    """Re-read the month in place under a row lock (inside a transaction); refuse it if locked."""
    month.refresh_from_db(from_queryset=RoyaltyMonth.objects.select_for_update())
    if month.is_locked:
        raise LedgerError(locked_message(month))
    return month


@transaction.atomic
def remove_from_month(line: Grade | Adjustment, *, action: str, data: dict, user) -> None:
    """Delete a grade or an adjustment while its month is open (refused once locked), logged."""
    locked_row(line.month)
    log(instance=line, action=action, user=user, data=data)
    line.delete()


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
    month = locked_row(month)
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


@transaction.atomic
def lock_month(month: RoyaltyMonth, *, user, today: date | None = None) -> RoyaltyMonth:
    """Approve and lock a finished month: its lines and its tax rule are frozen and nothing
    edits them again."""
    month = locked_row(month)
    today = today or timezone.localdate()
    if today < next_month(month.month):
        raise LedgerError(
            f"Tháng {month.label} chưa kết thúc: chỉ duyệt và khoá sổ từ ngày "
            f"{next_month(month.month):%d/%m/%Y}."
        )
    lines = computed_lines(month)
    withholding = withholding_of(month)
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
            is_contributor=line.is_contributor,
        )
        for line in lines
    )
    month.status = RoyaltyMonth.Status.LOCKED
    month.locked_at, month.locked_by = timezone.now(), user
    month.regulation_name = str(month.regulation) if month.regulation else ""
    month.total_paid = sum(line.amount for line in lines)
    month.withholding_rate = withholding.rate
    month.withholding_threshold = withholding.threshold
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
