"""The payment list (bảng thanh toán nhuận bút) as CSV, and the names and lines the Excel
workbook (workbook.py, imported only by the download's view) shares with it. The CSV
carries both the plain number and the text of each amount.
"""

import csv
import io

from django.utils import timezone

from .ledger import Ledger
from .money import points_text, vnd

TOTAL = "Tổng cộng"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(value: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP)."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def file_name(ledger: Ledger, extension: str) -> str:
    draft = "" if ledger.month.is_locked else "-ban-nhap"
    return f"nhuan-but-{ledger.month.key}{draft}.{extension}"


def status_line(ledger: Ledger) -> str:
    month = ledger.month
    if month.is_locked:
        who = ""
        if month.locked_by:
            who = f" bởi {month.locked_by.get_full_name() or month.locked_by.get_username()}"
        return f"Đã duyệt và khoá sổ ngày {timezone.localtime(month.locked_at):%d/%m/%Y}{who}."
    return "BẢN NHÁP: kỳ chưa khoá sổ, số liệu còn có thể thay đổi."


def terms_line(ledger: Ledger) -> str:
    month = ledger.month
    regulation = month.regulation_name or (str(month.regulation) if month.regulation else "—")
    parts = [f"Quy chế: {regulation}", f"Giá trị một điểm: {vnd(month.point_value)}"]
    if month.fund_cap is not None:
        parts.append(f"Quỹ nhuận bút: {vnd(month.fund_cap)}")
        if ledger.capped:
            parts.append(
                f"vượt quỹ, đã co từ {vnd(ledger.works_gross)} xuống {vnd(ledger.works_paid)}"
            )
    return " · ".join(parts)


def payment_csv(ledger: Ledger) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese text correctly. The first
    eight columns are those of the earlier lists, so existing imports keep working."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "STT",
            "Họ và tên",
            "Bút danh",
            "Phòng ban",
            "Số tác phẩm",
            "Điểm",
            "Thành tiền (đồng)",
            "Thành tiền",
            "Thuế TNCN (đồng)",
            "Thực nhận (đồng)",
            "Thực nhận",
            "Đối tượng",
            "Ký nhận",
        ]
    )
    for person in ledger.people:
        writer.writerow(
            [
                person.number,
                _csv_text(person.person_name),
                _csv_text(person.pen_names_text),
                _csv_text(person.department_name),
                person.work_count,
                points_text(person.points),
                person.amount,
                vnd(person.amount),
                person.tax,
                person.net,
                vnd(person.net),
                person.payee_kind,
                "",
            ]
        )
    writer.writerow(
        [
            "",
            TOTAL,
            "",
            "",
            ledger.work_count,
            points_text(ledger.points),
            ledger.total,
            vnd(ledger.total),
            ledger.tax,
            ledger.net,
            vnd(ledger.net),
            "",
            "",
        ]
    )
    return out.getvalue().encode("utf-8-sig")
