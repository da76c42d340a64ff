"""The payment list (bảng thanh toán nhuận bút) as an Excel workbook (openpyxl).

Amounts are whole đồng stored as numbers (so accountants can add them up) and shown with the
format `#,##0 "đ"`: Excel and LibreOffice print the thousands separator of the computer's
region, `1.250.000 đ` on a Vietnamese one.

Every sheet ends with a "Tổng cộng" row whose sums are SUM formulas over the rows above, so
the totals stay right when the accountant sorts, filters or corrects a row; only "Số tác
phẩm" is a count of distinct stories (a shared story counts for each person but once in the
total), as the note above each table says.

Imported by the download's view when a workbook is asked for (admin_views.export), not at
start: openpyxl is one of the heavy libraries web workers do not load (docs/architecture.md).
"""

import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from toasoan.editions.paper import paper_name

from .exports import TOTAL, status_line, terms_line
from .ledger import WORK_COUNT_RULE, Ledger
from .money import amount_in_words, vnd

MONEY_FORMAT = '#,##0 "đ"'
POINTS_FORMAT = "General"
HEADERS = [
    "STT",
    "Họ và tên",
    "Bút danh",
    "Phòng ban",
    "Đối tượng",
    "Số tác phẩm",
    "Điểm",
    "Thành tiền",
    "Thuế TNCN",
    "Thực nhận",
    "Ký nhận",
]
DETAIL_HEADERS = [
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
]
DEPARTMENT_HEADERS = [
    "STT",
    "Phòng ban",
    "Số người",
    "Số tác phẩm",
    "Điểm",
    "Thành tiền",
    "Thuế TNCN",
    "Thực nhận",
]
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)


def _put(sheet, row: int, column: int, value):
    """Write a cell; text is always text (a title starting with "=" is never a formula)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _points(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01")))


def _table(sheet, row: int, headers: list[str], widths: list[int]) -> int:
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), 1):
        cell = sheet.cell(row=row, column=column, value=header)
        cell.font, cell.border = BOLD, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[row].height = 30  # two lines: "Số tác / phẩm"
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
    sheet.print_title_rows = f"{row}:{row}"
    return row + 1


def _title(sheet, ledger: Ledger, title: str, columns: int, notes: list[str]) -> int:
    """Paper, title, status and the notes that explain the table; returns the header row."""
    sheet["A1"] = paper_name().upper()
    sheet["A1"].font = BOLD
    sheet.cell(row=2, column=1, value=title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet["A3"] = status_line(ledger)
    sheet["A3"].font = Font(italic=True, color="C00000" if not ledger.month.is_locked else "000000")
    for row, note in enumerate(notes, 4):
        _put(sheet, row, 1, note)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return 4 + len(notes) + 1


def _rows(sheet, row: int, rows: list[list], formats: dict[int, str]) -> int:
    for values in rows:
        for column, value in enumerate(values, 1):
            _put(sheet, row, column, value).border = BOX
        for column, number_format in formats.items():
            sheet.cell(row=row, column=column).number_format = number_format
        row += 1
    return row


def _total_row(
    sheet, row: int, first: int, columns: int, sums: dict[int, str], fixed: dict[int, int]
) -> None:
    """The "Tổng cộng" row at `row`: `=SUM(…)` of rows `first`…`row - 1` in the `sums`
    columns (with their number format), plain numbers in the `fixed` ones."""
    _put(sheet, row, 2, TOTAL)
    for column, number_format in sums.items():
        letter = get_column_letter(column)
        value = f"=SUM({letter}{first}:{letter}{row - 1})" if row > first else 0
        sheet.cell(row=row, column=column, value=value).number_format = number_format
    for column, value in fixed.items():
        sheet.cell(row=row, column=column, value=value)
    for column in range(1, columns + 1):
        cell = sheet.cell(row=row, column=column)
        cell.font, cell.border = BOLD, BOX


def _payment_sheet(sheet, ledger: Ledger, month: str) -> None:
    notes = [terms_line(ledger), ledger.withholding.text + ".", WORK_COUNT_RULE]
    title = f"BẢNG THANH TOÁN NHUẬN BÚT THÁNG {month}"
    row = _title(sheet, ledger, title, len(HEADERS), notes)
    row = _table(sheet, row, HEADERS, [6, 26, 20, 26, 14, 10, 9, 16, 14, 16, 16])
    first = row
    money = {8: MONEY_FORMAT, 9: MONEY_FORMAT, 10: MONEY_FORMAT}
    rows = [
        [
            person.number,
            person.person_name,
            person.pen_names_text,
            person.department_name,
            person.payee_kind,
            person.work_count,
            _points(person.points),
            person.amount,
            person.tax,
            person.net,
            "",
        ]
        for person in ledger.people
    ]
    row = _rows(sheet, row, rows, {7: POINTS_FORMAT, **money})
    for number in range(first, row):
        sheet.row_dimensions[number].height = 24  # room to sign
    _total_row(sheet, row, first, len(HEADERS), {7: POINTS_FORMAT, **money}, {6: ledger.work_count})
    row += 1
    _put(sheet, row, 1, f"Bằng chữ: {amount_in_words(ledger.total)}.").font = Font(italic=True)
    row += 1
    _put(
        sheet,
        row,
        1,
        f"Thuế TNCN khấu trừ: {vnd(ledger.tax)}. "
        f"Thực nhận bằng chữ: {amount_in_words(ledger.net)}.",
    ).font = Font(italic=True)
    row += 2
    today = timezone.localdate()
    sheet.cell(
        row=row, column=9, value=f"Ngày {today:%d} tháng {today:%m} năm {today:%Y}"
    ).font = Font(italic=True)
    row += 1
    for column, signer in ((2, "Người lập biểu"), (5, "Kế toán trưởng"), (9, "Tổng biên tập")):
        sheet.cell(row=row, column=column, value=signer).font = BOLD
        sheet.cell(row=row + 1, column=column, value="(Ký, ghi rõ họ tên)").font = Font(italic=True)


def _detail_sheet(sheet, ledger: Ledger, month: str) -> None:
    notes = [
        terms_line(ledger),
        "Thuế TNCN được khấu trừ trên tổng số tiền của mỗi người trong kỳ: xem trang "
        "Bảng thanh toán.",
    ]
    row = _title(sheet, ledger, f"CHI TIẾT NHUẬN BÚT THÁNG {month}", len(DETAIL_HEADERS), notes)
    row = _table(sheet, row, DETAIL_HEADERS, [6, 44, 18, 24, 16, 22, 12, 10, 10, 16, 16, 30])
    first = row
    rows = [
        [
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
        for number, line in enumerate(ledger.lines, 1)
    ]
    formats = {9: POINTS_FORMAT, 10: MONEY_FORMAT, 11: MONEY_FORMAT}
    row = _rows(sheet, row, rows, formats)
    _total_row(sheet, row, first, len(DETAIL_HEADERS), formats, {})


def _department_sheet(sheet, ledger: Ledger, month: str) -> None:
    notes = [
        "Mỗi người được tính vào phòng ban ghi trên dòng của họ ở trang Bảng thanh toán.",
        WORK_COUNT_RULE,
    ]
    title = f"NHUẬN BÚT THEO PHÒNG BAN THÁNG {month}"
    row = _title(sheet, ledger, title, len(DEPARTMENT_HEADERS), notes)
    row = _table(sheet, row, DEPARTMENT_HEADERS, [6, 30, 10, 12, 10, 18, 16, 18])
    first = row
    rows = [
        [
            group.number,
            group.name,
            len(group.people),
            len(group.works),
            _points(group.points),
            group.amount,
            group.tax,
            group.net,
        ]
        for group in ledger.departments
    ]
    formats = {5: POINTS_FORMAT, 6: MONEY_FORMAT, 7: MONEY_FORMAT, 8: MONEY_FORMAT}
    row = _rows(sheet, row, rows, formats)
    sums = {3: "General", **formats}
    _total_row(sheet, row, first, len(DEPARTMENT_HEADERS), sums, {4: ledger.work_count})


def payment_workbook(ledger: Ledger) -> bytes:
    book = Workbook()
    month = ledger.month.label
    book.active.title = "Bảng thanh toán"
    _payment_sheet(book.active, ledger, month)
    _detail_sheet(book.create_sheet("Chi tiết"), ledger, month)
    _department_sheet(book.create_sheet("Phòng ban"), ledger, month)
    book.properties.title = f"Bảng thanh toán nhuận bút tháng {month}"
    book.properties.creator = paper_name()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
