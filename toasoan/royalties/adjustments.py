"""Adjustment lines (dòng điều chỉnh): how a locked month's payment is corrected, in a later
open month, since the locked month itself never changes."""

from django.db import transaction
from wagtail.log_actions import log

from toasoan.core.text import nfc
from toasoan.newsroom.models import PenName

from .models import Adjustment, RoyaltyMonth
from .people import person_of
from .periods import LedgerError, locked_row, remove_from_month


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
    month = locked_row(month)
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


def delete_adjustment(adjustment: Adjustment, *, user) -> None:
    data = {"month": adjustment.month.label, "amount": adjustment.amount}
    remove_from_month(adjustment, action="royalties.unadjust", user=user, data=data)
