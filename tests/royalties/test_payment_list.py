"""The payment list: personal income tax withheld from contributors (thuế TNCN, Circular
111/2013/TT-BTC art. 25, as regulation data), story counts that reconcile, and workbook totals
that are SUM formulas adding up to the listed amounts on every sheet."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tests.royalties.conftest import at
from tests.staff import client_for
from toasoan.newsroom.roles import CONTRIBUTOR
from toasoan.royalties import access, grading, ledger, periods
from toasoan.royalties.grading import ShareInput
from toasoan.royalties.models import LedgerLine, Regulation

pytestmark = pytest.mark.django_db

BASE = "/admin/nhuan-but/"
APRIL = date(2025, 4, 1)
SUM = re.compile(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)")


@pytest.fixture
def march(newsroom, make_story):
    """Six March stories, two of them shared, at 100.000 đ a point:

    Võ Văn An (staff)           780.000 + 600.000 + 1.200.000 = 2.580.000 đ (3 stories)
    Trần Văn Nông (no account)  780.000 + 1.200.000           = 1.980.000 đ (2 stories)
    Lê Thị Trâm (contributor)   400.000 + 800.000 + 800.000   = 2.000.000 đ (3 stories)
    """
    pens, regulation, tbt = newsroom["pens"], newsroom["regulation"], newsroom["people"]["tbt"]
    bai = regulation.genres.get(name="Bài")
    far = regulation.multipliers.get(name="Vùng sâu")

    def story(title, day, points, shares, multipliers=()):
        article = make_story(title, [pens[pen] for pen, _ in shares], at(day))
        grading.grade_story(
            article,
            month=periods.get_month(article.first_published_at),
            genre=bai,
            points=Decimal(points),
            multipliers=list(multipliers),
            shares=[ShareInput(pens[pen], "viet", Decimal(p)) for pen, p in shares],
            user=tbt,
        )

    story("Lũ về Đại Lộc", 2, 12, [("LÃO NÔNG", 50), ("V.A", 50)], [far])  # 15,6 points
    story("Mùa măng rừng", 4, 12, [("LÃO NÔNG", 100)])
    story("Chợ nổi Cái Răng", 6, 10, [("V.A", 60), ("LÊ TRÂM", 40)])
    story("Làng gốm Thanh Hà", 8, 8, [("LÊ TRÂM", 100)])
    story("Cầu Rồng phun lửa", 10, 8, [("LÊ TRÂM", 100)])
    story("Cảng Tiên Sa", 12, 12, [("V.A", 100)])
    return periods.get_month(at(1))


def everyone(month):
    return ledger.build_ledger(month, access.Viewer(0, sees_all=True))


def by_name(book):
    return {row.person_name: row for row in book.people}


# --- the ledger -------------------------------------------------------------------------------
def test_tax_is_withheld_from_contributors_paid_at_least_the_threshold(march):
    book = everyone(march)
    people = by_name(book)
    staff, outside, contributor = (
        people["Võ Văn An"],
        people["Trần Văn Nông"],
        people["Lê Thị Trâm"],
    )
    assert (staff.amount, staff.tax, staff.net) == (2_580_000, 0, 2_580_000)  # with salary
    assert not staff.is_contributor
    assert (outside.amount, outside.tax, outside.net) == (1_980_000, 0, 1_980_000)  # below
    assert outside.is_contributor
    assert (contributor.amount, contributor.tax, contributor.net) == (2_000_000, 200_000, 1_800_000)
    assert contributor.is_contributor
    assert book.total == 6_560_000
    assert (book.tax, book.net) == (200_000, 6_360_000)
    assert sum(row.net for row in book.people) == book.net
    assert sum(row.tax for row in book.departments) == book.tax
    assert sum(row.net for row in book.departments) == book.net


def test_changing_the_regulation_changes_the_withholding_of_open_months_only(march, newsroom):
    regulation = newsroom["regulation"]
    regulation.withholding_rate, regulation.withholding_threshold = Decimal("7.5"), 1_000_000
    regulation.save()
    people = by_name(everyone(march))
    assert people["Lê Thị Trâm"].tax == 150_000  # 7,5 % of 2.000.000 đ
    assert people["Trần Văn Nông"].tax == 148_500  # now over the lower threshold
    assert people["Võ Văn An"].tax == 0

    periods.lock_month(march, user=newsroom["people"]["tbt"], today=APRIL)
    march.refresh_from_db()
    assert (march.withholding_rate, march.withholding_threshold) == (Decimal("7.5"), 1_000_000)
    assert LedgerLine.objects.filter(month=march, is_contributor=True).count() == 5
    # Afterwards the regulation goes back to 10 % from 2.000.000 đ and Lê Thị Trâm joins the
    # staff: the locked month keeps what was withheld when it was approved.
    regulation.withholding_rate, regulation.withholding_threshold = Decimal(10), 2_000_000
    regulation.save()
    newsroom["people"]["ctv"].groups.clear()
    locked = everyone(march)
    assert {r.person_name: r.tax for r in locked.people} == {
        "Võ Văn An": 0,
        "Trần Văn Nông": 148_500,
        "Lê Thị Trâm": 150_000,
    }
    # An open month follows the regulation as it is now.
    april = periods.get_month(APRIL)
    assert ledger.withholding_of(april).rate == Decimal(10)


def test_staff_and_contributors_are_told_apart_by_the_contributor_group(march, newsroom):
    contributor = newsroom["people"]["ctv"]
    contributor.groups.remove(contributor.groups.get(name=CONTRIBUTOR))
    assert by_name(everyone(march))["Lê Thị Trâm"].tax == 0
    staff = newsroom["people"]["pv"]
    staff.groups.add(contributor.groups.model.objects.get(name=CONTRIBUTOR))
    assert by_name(everyone(march))["Võ Văn An"].tax == 258_000


def test_story_counts_count_a_shared_story_for_each_person_and_once_in_the_total(march):
    book = everyone(march)
    counts = {row.person_name: row.work_count for row in book.people}
    assert counts == {"Võ Văn An": 3, "Trần Văn Nông": 2, "Lê Thị Trâm": 3}
    assert book.work_count == 6  # distinct stories
    people_per_story = {}
    for line in book.lines:
        people_per_story.setdefault(line.grade_id, set()).add(line.person_key)
    assert len(people_per_story) == book.work_count
    assert sum(counts.values()) == sum(len(p) for p in people_per_story.values()) == 8
    departments = {row.name: len(row.works) for row in book.departments}
    assert departments == {"Phòng Thời sự": 3, "Chưa xếp phòng ban": 5}


# --- the workbook ------------------------------------------------------------------------------
def table(sheet) -> tuple[list, list[int], int]:
    """(header, data row numbers, total row number) of a sheet's table."""
    header_row = next(row[0].row for row in sheet.iter_rows() if row[0].value == "STT")
    total_row = next(
        row[0].row for row in sheet.iter_rows(min_row=header_row) if row[1].value == "Tổng cộng"
    )
    header = [cell.value for cell in sheet[header_row]]
    return header, list(range(header_row + 1, total_row)), total_row


def evaluate(sheet, cell):
    """A total cell's value: `=SUM(X7:X9)` over exactly the table's data rows, added up."""
    value = sheet[cell].value
    if not isinstance(value, str):
        return value
    match = SUM.fullmatch(value)
    assert match, f"{sheet.title}!{cell}: {value!r} is not a SUM formula"
    start, first, end, last = match.groups()
    assert start == end == re.sub(r"\d", "", cell)
    _, rows, total_row = table(sheet)
    assert (int(first), int(last)) == (rows[0], rows[-1]) and int(last) == total_row - 1
    return sum(sheet[f"{start}{row}"].value for row in rows)


def column(header: list, name: str) -> str:
    return get_column_letter(header.index(name) + 1)


@pytest.fixture
def workbook(march, newsroom):
    response = client_for(newsroom["people"]["ketoan"]).get(
        f"{BASE}{march.key}/bang-thanh-toan.xlsx"
    )
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_every_sheet_ends_with_a_total_row_of_sum_formulas(march, workbook):
    book = everyone(march)
    for name in ("Bảng thanh toán", "Chi tiết", "Phòng ban"):
        sheet = workbook[name]
        header, rows, total = table(sheet)
        assert rows, name
        for title in ("Điểm", "Thành tiền"):
            assert sheet[f"{column(header, title)}{total}"].data_type == "f", (name, title)
        amount = evaluate(sheet, f"{column(header, 'Thành tiền')}{total}")
        assert amount == book.total == 6_560_000, name

    summary = workbook["Bảng thanh toán"]
    header, rows, total = table(summary)
    assert header == [
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
    listed = {
        summary[f"B{row}"].value: [
            summary[f"{column(header, c)}{row}"].value
            for c in ("Đối tượng", "Thành tiền", "Thuế TNCN", "Thực nhận")
        ]
        for row in rows
    }
    assert listed == {
        "Võ Văn An": ["Nhân sự", 2_580_000, 0, 2_580_000],
        "Trần Văn Nông": ["Cộng tác viên", 1_980_000, 0, 1_980_000],
        "Lê Thị Trâm": ["Cộng tác viên", 2_000_000, 200_000, 1_800_000],
    }
    assert evaluate(summary, f"{column(header, 'Thuế TNCN')}{total}") == 200_000
    assert evaluate(summary, f"{column(header, 'Thực nhận')}{total}") == 6_360_000
    assert summary[f"{column(header, 'Thực nhận')}{total}"].number_format == '#,##0 "đ"'
    points = evaluate(summary, f"{column(header, 'Điểm')}{total}")
    assert points == pytest.approx(float(book.points))
    assert summary[f"A{total + 1}"].value == ("Bằng chữ: Sáu triệu năm trăm sáu mươi nghìn đồng.")
    assert summary[f"A{total + 2}"].value == (
        "Thuế TNCN khấu trừ: 200.000 đ. Thực nhận bằng chữ: Sáu triệu ba trăm sáu mươi nghìn đồng."
    )

    departments = workbook["Phòng ban"]
    header, rows, total = table(departments)
    assert evaluate(departments, f"{column(header, 'Số người')}{total}") == 3
    assert evaluate(departments, f"{column(header, 'Thuế TNCN')}{total}") == 200_000
    assert evaluate(departments, f"{column(header, 'Thực nhận')}{total}") == 6_360_000
    detail = workbook["Chi tiết"]
    header, rows, total = table(detail)
    assert len(rows) == len(book.lines) == 8
    assert evaluate(detail, f"{column(header, 'Trước điều tiết')}{total}") == 6_560_000


def test_story_counts_in_the_workbook_follow_the_stated_rule(workbook):
    for name, per_row_total, distinct in (("Bảng thanh toán", 8, 6), ("Phòng ban", 8, 6)):
        sheet = workbook[name]
        header, rows, total = table(sheet)
        notes = [sheet[f"A{row}"].value for row in range(3, rows[0] - 1)]
        assert any(
            "tác phẩm nhiều người cùng làm được tính cho mỗi người" in (note or "")
            and "dòng Tổng cộng đếm mỗi tác phẩm một lần" in note
            for note in notes
        ), name
        letter = column(header, "Số tác phẩm")
        assert sum(sheet[f"{letter}{row}"].value for row in rows) == per_row_total
        assert sheet[f"{letter}{total}"].value == distinct


def test_the_workbook_of_a_month_with_nobody_to_pay_still_has_its_totals(newsroom):
    month = periods.get_month(at(1, 5))
    response = client_for(newsroom["people"]["ketoan"]).get(
        f"{BASE}{month.key}/bang-thanh-toan.xlsx"
    )
    workbook = load_workbook(io.BytesIO(response.content))
    for name in ("Bảng thanh toán", "Chi tiết", "Phòng ban"):
        header, rows, total = table(workbook[name])
        assert rows == []
        assert workbook[name][f"{column(header, 'Thành tiền')}{total}"].value == 0


def test_the_csv_carries_tax_and_what_each_person_receives(march, newsroom):
    body = client_for(newsroom["people"]["ketoan"]).get(f"{BASE}{march.key}/bang-thanh-toan.csv")
    rows = list(csv.reader(io.StringIO(body.content.decode("utf-8-sig"))))
    assert rows[0][6:] == [
        "Thành tiền (đồng)",
        "Thành tiền",
        "Thuế TNCN (đồng)",
        "Thực nhận (đồng)",
        "Thực nhận",
        "Đối tượng",
        "Ký nhận",
    ]
    contributor = next(row for row in rows if row[1] == "Lê Thị Trâm")
    assert contributor[6:12] == [
        "2000000",
        "2.000.000 đ",
        "200000",
        "1800000",
        "1.800.000 đ",
        "Cộng tác viên",
    ]
    assert rows[-1][1] == "Tổng cộng"
    assert rows[-1][4] == "6" and rows[-1][6:11] == [
        "6560000",
        "6.560.000 đ",
        "200000",
        "6360000",
        "6.360.000 đ",
    ]
    assert sum(int(row[8]) for row in rows[1:-1]) == int(rows[-1][8])


# --- the screens -------------------------------------------------------------------------------
def test_the_ledger_screen_shows_tax_and_what_is_received(march, newsroom):
    html = client_for(newsroom["people"]["ketoan"]).get(f"{BASE}{march.key}/").content.decode()
    assert "Thuế TNCN" in html and "Thực nhận" in html
    assert "Thuế TNCN: khấu trừ 10 % với cộng tác viên nhận từ 2.000.000 đ trong kỳ" in html
    assert "200.000 đ" in html and "1.800.000 đ" in html and "6.360.000 đ" in html
    assert "cùng lương" in html  # the staff member's tax goes with their salary
    assert "dòng Tổng cộng đếm mỗi tác phẩm một lần" in html
    own = client_for(newsroom["people"]["ctv"]).get(f"{BASE}{march.key}/").content.decode()
    assert 'thuế TNCN khấu trừ <span class="money">200.000 đ</span>' in own
    assert "Võ Văn An" not in own


def test_administrators_set_the_withholding_in_the_regulation(newsroom):
    regulation = Regulation.objects.get()
    assert (regulation.withholding_rate, regulation.withholding_threshold) == (10, 2_000_000)
    client = client_for(newsroom["people"]["quantri"])
    html = client.get("/admin/snippets/royalties/regulation/add/").content.decode()
    assert "Thuế TNCN khấu trừ (%)" in html and "Thông tư 111/2013/TT-BTC" in html


def test_a_month_locked_before_withholding_existed_withholds_nothing(march, newsroom):
    periods.lock_month(march, user=newsroom["people"]["tbt"], today=APRIL)
    # What migration 0002 leaves on months locked before it: no rule, no contributor flags.
    type(march).objects.filter(pk=march.pk).update(withholding_rate=None)
    march.refresh_from_db()
    book = everyone(march)
    assert book.tax == 0 and book.net == book.total == 6_560_000
    assert "không khấu trừ trong sổ này" in book.withholding.text
