"""The payment list (bảng thanh toán nhuận bút) as an Excel workbook and as CSV.

Amounts are whole đồng stored as numbers (so accountants can add them up) and shown with the
format `#,##0 "đ"`: Excel and LibreOffice print the thousands separator of the computer's
region, `1.250.000 đ` on a Vietnamese one. The CSV carries both the plain number and the text.
"""

import csv
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from toasoan.editions.paper import paper_name

from .ledger import Ledger
from .money import amount_in_words, points_text, vnd

MONEY_FORMAT = '#,##0 "đ"'
POINTS_FORMAT = "General"
HEADERS = [
    "STT",
    "Họ và tên",
    "Bút danh",
    "Phòng ban",
    "Số tác phẩm",
    "Điểm",
    "Thành tiền",
    "Ký nhận",
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _put(sheet, row: int, column: int, value):
    """Write a cell; text is always text (a title starting with "=" is never a formula)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


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


def _points(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def _table(sheet, row: int, headers: list[str], widths: list[int]) -> int:
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = sheet.cell(row=row, column=column, value=header)
        cell.font, cell.border = BOLD, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    return row + 1


def _title(sheet, ledger: Ledger, title: str, columns: int) -> int:
    sheet["A1"] = paper_name().upper()
    sheet["A1"].font = BOLD
    sheet.cell(row=2, column=1, value=title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet["A3"] = status_line(ledger)
    sheet["A3"].font = Font(italic=True, color="C00000" if not ledger.month.is_locked else "000000")
    sheet["A4"] = terms_line(ledger)
    return 6


def payment_workbook(ledger: Ledger) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Bảng thanh toán"
    month = ledger.month.label
    row = _title(sheet, ledger, f"BẢNG THANH TOÁN NHUẬN BÚT THÁNG {month}", len(HEADERS))
    header_row = row
    row = _table(sheet, row, HEADERS, [6, 28, 22, 24, 12, 10, 18, 16])
    first = row
    for person in ledger.people:
        values = [
            person.number,
            person.person_name,
            person.pen_names_text,
            person.department_name,
            person.work_count,
            _points(person.points),
            person.amount,
            "",
        ]
        for column, value in enumerate(values, 1):
            _put(sheet, row, column, value).border = BOX
        sheet.cell(row=row, column=6).number_format = POINTS_FORMAT
        sheet.cell(row=row, column=7).number_format = MONEY_FORMAT
        sheet.row_dimensions[row].height = 24  # room to sign
        row += 1
    total = ledger.total
    sheet.cell(row=row, column=2, value="Tổng cộng").font = BOLD
    sheet.cell(row=row, column=5, value=ledger.work_count).font = BOLD
    cell = sheet.cell(row=row, column=6, value=_points(ledger.points))
    cell.number_format, cell.font = POINTS_FORMAT, BOLD
    cell = sheet.cell(row=row, column=7, value=total)
    cell.number_format, cell.font = MONEY_FORMAT, BOLD
    for column in range(1, len(HEADERS) + 1):
        sheet.cell(row=row, column=column).border = BOX
    row += 1
    sheet.cell(row=row, column=1, value=f"Bằng chữ: {amount_in_words(total)}.").font = Font(
        italic=True
    )
    row += 2
    today = timezone.localdate()
    sheet.cell(
        row=row, column=6, value=f"Ngày {today:%d} tháng {today:%m} năm {today:%Y}"
    ).font = Font(italic=True)
    row += 1
    for column, signer in ((2, "Người lập biểu"), (4, "Kế toán trưởng"), (6, "Tổng biên tập")):
        sheet.cell(row=row, column=column, value=signer).font = BOLD
        sheet.cell(row=row + 1, column=column, value="(Ký, ghi rõ họ tên)").font = Font(italic=True)
    sheet.freeze_panes = sheet.cell(row=first, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    detail = book.create_sheet("Chi tiết")
    row = _title(detail, ledger, f"CHI TIẾT NHUẬN BÚT THÁNG {month}", 12)
    row = _table(
        detail,
        row,
        [
            "STT",
            "Tác phẩm",
            "Thể loại",
            "Họ và tên",
            "Bút danh",
            "Phòng ban",
            "Vai trò",
            "Tỷ lệ (%)",
            "Điểm",
            "Trước điều tiết",
            "Thành tiền",
            "Ghi chú",
        ],
        [6, 44, 18, 24, 16, 22, 12, 10, 10, 16, 16, 30],
    )
    for number, line in enumerate(ledger.lines, 1):
        values = [
            number,
            line.work_title,
            line.genre_name,
            line.person_name,
            line.pen_name_text,
            line.department_name,
            line.role_label if not line.is_adjustment else "Điều chỉnh",
            float(line.percent) if line.percent is not None else None,
            _points(line.points),
            line.gross,
            line.amount,
            line.note,
        ]
        for column, value in enumerate(values, 1):
            _put(detail, row, column, value).border = BOX
        detail.cell(row=row, column=9).number_format = POINTS_FORMAT
        detail.cell(row=row, column=10).number_format = MONEY_FORMAT
        detail.cell(row=row, column=11).number_format = MONEY_FORMAT
        row += 1

    departments = book.create_sheet("Phòng ban")
    row = _title(departments, ledger, f"NHUẬN BÚT THEO PHÒNG BAN THÁNG {month}", 6)
    row = _table(
        departments,
        row,
        ["STT", "Phòng ban", "Số người", "Số tác phẩm", "Điểm", "Thành tiền"],
        [6, 30, 10, 12, 10, 18],
    )
    for group in ledger.departments:
        values = [
            group.number,
            group.name,
            len(group.people),
            len(group.works),
            _points(group.points),
            group.amount,
        ]
        for column, value in enumerate(values, 1):
            _put(departments, row, column, value).border = BOX
        departments.cell(row=row, column=5).number_format = POINTS_FORMAT
        departments.cell(row=row, column=6).number_format = MONEY_FORMAT
        row += 1

    book.properties.title = f"Bảng thanh toán nhuận bút tháng {month}"
    book.properties.creator = paper_name()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def payment_csv(ledger: Ledger) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese text correctly."""
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
                "",
            ]
        )
    writer.writerow(
        [
            "",
            "Tổng cộng",
            "",
            "",
            ledger.work_count,
            points_text(ledger.points),
            ledger.total,
            vnd(ledger.total),
            "",
        ]
    )
    return out.getvalue().encode("utf-8-sig")
