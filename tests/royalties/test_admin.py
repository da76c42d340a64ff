"""The royalty screens in the Wagtail admin: who may do what, the grading form, and a locked
month refused through every screen and URL."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from tests.royalties.conftest import at
from tests.staff import client_for
from toasoan.newsroom.models import PenName
from toasoan.royalties import adjustments, grading, ledger, periods
from toasoan.royalties.grading import ShareInput
from toasoan.royalties.models import Adjustment, Grade, LedgerLine, Regulation, RoyaltyMonth

pytestmark = pytest.mark.django_db

BASE = "/admin/nhuan-but/"
LOCKED_MESSAGE = "Kỳ nhuận bút tháng 03/2025 đã duyệt và khoá sổ: không thể thay đổi."


@pytest.fixture
def march(newsroom, make_story):
    pens, regulation = newsroom["pens"], newsroom["regulation"]
    story = make_story("Lũ về Đại Lộc", [pens["V.A"], pens["HOÀNG LIÊN"]], at(5))
    grading.grade_story(
        story,
        month=periods.get_month(story.first_published_at),
        genre=regulation.genres.get(name="Bài"),
        points=Decimal(10),
        shares=[
            ShareInput(pens["V.A"], "viet", Decimal(60)),
            ShareInput(pens["HOÀNG LIÊN"], "anh", Decimal(40)),
        ],
        user=newsroom["people"]["tbt"],
    )
    other = make_story("Mưa đá ở Nam Trà My", [pens["MINH HẢI"]], at(12), kind="tin")
    return {"month": periods.get_month(at(5)), "story": story, "ungraded": other}


def grade_post(story, month: RoyaltyMonth, genre, points, shares, **extra) -> dict:
    data = {
        "month": month.pk,
        "genre": genre.pk,
        "points": str(points),
        "note": "",
        "shares-TOTAL_FORMS": str(len(shares)),
        "shares-INITIAL_FORMS": "0",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "20",
        **extra,
    }
    for i, (pen, role, percent) in enumerate(shares):
        data[f"shares-{i}-pen_name"] = pen.pk
        data[f"shares-{i}-role"] = role
        data[f"shares-{i}-percent"] = str(percent)
    return data


# --- who may do what ---------------------------------------------------------------------------
def reached(response) -> bool:
    """200: the screen; 403, or Wagtail's redirect to the dashboard, means refused."""
    if response.status_code == 200:
        return True
    assert response.status_code == 403 or response.headers["Location"] == "/admin/"
    return False


Y, N = True, False
ROLE_MATRIX = {
    # person: ledger, queue/grade, configure/lock/adjust, export, regulation list, add regulation
    "tbt": (Y, Y, Y, Y, Y, N),
    "ketoan": (Y, N, N, Y, Y, N),
    "truongphong": (Y, N, N, N, N, N),
    "pv": (Y, N, N, N, N, N),
    "ctv": (Y, N, N, N, N, N),
    "kiemduyet": (Y, N, N, N, N, N),
    "quantri": (Y, N, N, N, Y, Y),
}


@pytest.mark.parametrize("who", ROLE_MATRIX)
def test_each_role_reaches_exactly_its_screens(who, newsroom, march):
    client = client_for(newsroom["people"][who])
    key, story = march["month"].key, march["ungraded"]
    ledger_ok, grade_ok, chief_ok, export_ok, list_ok, add_ok = ROLE_MATRIX[who]
    assert reached(client.get(BASE)) == ledger_ok
    assert reached(client.get(f"{BASE}{key}/")) == ledger_ok
    assert reached(client.get(f"{BASE}cho-cham/")) == grade_ok
    assert reached(client.get(f"{BASE}cham/{story.pk}/")) == grade_ok
    for path in ("thiet-lap/", "khoa-so/", "dieu-chinh/"):
        assert reached(client.get(f"{BASE}{key}/{path}")) == chief_ok, path
    for path in ("bang-thanh-toan.xlsx", "bang-thanh-toan.csv"):
        assert reached(client.get(f"{BASE}{key}/{path}")) == export_ok, path
    assert reached(client.get("/admin/snippets/royalties/regulation/")) == list_ok
    assert reached(client.get("/admin/snippets/royalties/regulation/add/")) == add_ok
    assert reached(client.get("/admin/snippets/royalties/department/add/")) == add_ok


def test_people_without_the_right_change_nothing_by_posting(newsroom, march):
    month, story = march["month"], march["ungraded"]
    regulation, pens = newsroom["regulation"], newsroom["pens"]
    before = (Grade.objects.count(), RoyaltyMonth.objects.get(pk=month.pk).point_value)
    for who in ("ketoan", "truongphong", "pv", "quantri"):
        client = client_for(newsroom["people"][who])
        data = grade_post(
            story, month, regulation.genres.get(name="Tin"), 3, [(pens["MINH HẢI"], "viet", 100)]
        )
        assert not reached(client.post(f"{BASE}cham/{story.pk}/", data))
        assert not reached(client.post(f"{BASE}cham/{march['story'].pk}/huy/"))
        settings = {"regulation": regulation.pk, "point_value": "1", "fund_cap": ""}
        assert not reached(client.post(f"{BASE}{month.key}/thiet-lap/", settings))
        assert not reached(client.post(f"{BASE}{month.key}/khoa-so/"))
    assert (Grade.objects.count(), RoyaltyMonth.objects.get(pk=month.pk).point_value) == before
    assert not RoyaltyMonth.objects.get(pk=month.pk).is_locked


def menu_text(client) -> str:
    """The admin's sidebar menu (Wagtail sends it as JSON), as readable text."""
    html = client.get("/admin/").content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    return json.dumps(json.loads(props.group(1)), ensure_ascii=False)


def test_the_menu_shows_the_grading_queue_only_to_graders(newsroom, march):
    chief = client_for(newsroom["people"]["tbt"])
    reporter = client_for(newsroom["people"]["pv"])
    assert "Sổ nhuận bút" in menu_text(chief) and "Bài chờ chấm" in menu_text(chief)
    assert "Sổ nhuận bút" in menu_text(reporter) and "Bài chờ chấm" not in menu_text(reporter)
    assert "Quy chế nhuận bút" not in menu_text(reporter)
    dashboard = chief.get("/admin/").content.decode()
    assert "<span>1</span> bài chờ chấm nhuận bút" in dashboard
    assert "bài chờ chấm nhuận bút" not in reporter.get("/admin/").content.decode()


def test_reporters_see_their_own_lines_heads_their_department(newsroom, march):
    url = f"{BASE}{march['month'].key}/"
    reporter = client_for(newsroom["people"]["pv"]).get(url).content.decode()
    assert "Võ Văn An" in reporter and "600.000 đ" in reporter
    assert "Hoàng Thị Liên" not in reporter and "400.000 đ" not in reporter
    assert "Tải bảng thanh toán" not in reporter and "Duyệt và khoá sổ" not in reporter
    head = client_for(newsroom["people"]["truongphong"]).get(url).content.decode()
    assert "Võ Văn An" in head and "Hoàng Thị Liên" not in head
    accountant = client_for(newsroom["people"]["ketoan"]).get(url).content.decode()
    assert "Võ Văn An" in accountant and "Hoàng Thị Liên" in accountant
    assert "1.000.000 đ" in accountant and "Tải bảng thanh toán (.xlsx)" in accountant
    assert "Duyệt và khoá sổ" not in accountant


# --- grading through the screens ---------------------------------------------------------------
def test_the_editor_in_chief_grades_a_story_from_the_queue(newsroom, march):
    client = client_for(newsroom["people"]["tbt"])
    story, month = march["ungraded"], march["month"]
    queue = client.get(f"{BASE}cho-cham/?thang={month.key}").content.decode()
    assert story.title in queue and march["story"].title not in queue
    form = client.get(f"{BASE}cham/{story.pk}/").content.decode()
    assert "Tin (1–5 điểm)" in form and "MINH HẢI" in form
    regulation, pens = newsroom["regulation"], newsroom["pens"]
    tin = regulation.genres.get(name="Tin")
    exclusive = regulation.multipliers.get(name="Độc quyền")

    bad = grade_post(
        story, month, tin, 3, [(pens["MINH HẢI"], "viet", 70), (pens["V.A"], "anh", 20)]
    )
    response = client.post(f"{BASE}cham/{story.pk}/", bad)
    assert response.status_code == 200
    assert "Tổng tỷ lệ chia phải đúng 100 % (đang là 90 %)." in response.content.decode()
    out_of_range = grade_post(story, month, tin, 7, [(pens["MINH HẢI"], "viet", 100)])
    response = client.post(f"{BASE}cham/{story.pk}/", out_of_range)
    assert "được chấm từ 1 đến 5 điểm" in response.content.decode()
    assert not Grade.objects.filter(article=story).exists()

    good = grade_post(
        story,
        month,
        tin,
        "2.5",
        [(pens["MINH HẢI"], "viet", 70), (pens["V.A"], "anh", 30)],
        multipliers=[exclusive.pk],
    )
    response = client.post(f"{BASE}cham/{story.pk}/", good, follow=True)
    assert "Đã chấm “Mưa đá ở Nam Trà My”: Tin, 2,5 điểm, kỳ 03/2025." in response.content.decode()
    saved = Grade.objects.get(article=story)
    assert saved.factor == Decimal("1.2") and saved.shares.count() == 2
    page = client.get(f"{BASE}{month.key}/").content.decode()
    # 2,5 × 1,2 × 100.000 đ = 300.000 đ: 210.000 đ and 90.000 đ.
    assert "210.000 đ" in page and "690.000 đ" in page  # V.A: 600.000 đ + 90.000 đ
    assert "1.300.000 đ" in page
    assert ModelLogEntry.objects.filter(action="royalties.grade", object_id=str(saved.pk)).exists()
    # The story's edit page offers the grading button to the editor-in-chief.
    edit = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert f"{BASE}cham/{story.pk}/" in edit


def test_month_settings_accept_vietnamese_amounts(newsroom, march):
    client = client_for(newsroom["people"]["tbt"])
    month = march["month"]
    response = client.post(
        f"{BASE}{month.key}/thiet-lap/",
        {
            "regulation": newsroom["regulation"].pk,
            "point_value": "120.000",
            "fund_cap": "1.000.000 đ",
        },
        follow=True,
    )
    assert "Đã lưu thiết lập kỳ 03/2025." in response.content.decode()
    month.refresh_from_db()
    assert (month.point_value, month.fund_cap) == (120_000, 1_000_000)
    response = client.post(
        f"{BASE}{month.key}/thiet-lap/",
        {"regulation": newsroom["regulation"].pk, "point_value": "12,5", "fund_cap": ""},
    )
    assert "Nhập số tiền nguyên bằng đồng" in response.content.decode()


# --- a locked month, through every screen and URL ---------------------------------------------
def test_a_locked_month_is_refused_through_every_screen_and_url(newsroom, march, time_machine):
    chief = newsroom["people"]["tbt"]
    client = client_for(chief)
    month, story = march["month"], march["story"]
    regulation, pens = newsroom["regulation"], newsroom["pens"]
    time_machine.move_to(date(2025, 3, 20))
    response = client.post(f"{BASE}{month.key}/khoa-so/", follow=True)
    assert "chưa kết thúc: chỉ duyệt và khoá sổ từ ngày 01/04/2025" in response.content.decode()
    time_machine.move_to(date(2025, 4, 2))
    assert (
        "Duyệt và khoá sổ tháng 03/2025"
        in client.get(f"{BASE}{month.key}/khoa-so/").content.decode()
    )
    response = client.post(f"{BASE}{month.key}/khoa-so/", follow=True)
    assert "Đã duyệt và khoá sổ kỳ 03/2025" in response.content.decode()
    month.refresh_from_db()
    april = periods.get_month(date(2025, 4, 1))
    adjustment = adjustments.add_adjustment(
        april, corrects=month, pen_name=pens["V.A"], amount=10_000, reason="Thử", user=chief
    )
    lines_before = list(LedgerLine.objects.values_list("person_name", "amount"))
    grade_before = Grade.objects.values("points", "factor", "genre_name", "month_id").get(
        article=story
    )
    tin = regulation.genres.get(name="Tin")
    attempts = [
        ("get", f"{BASE}cham/{story.pk}/", {}),
        (
            "post",
            f"{BASE}cham/{story.pk}/",
            grade_post(story, month, tin, 1, [(pens["V.A"], "viet", 100)]),
        ),
        ("post", f"{BASE}cham/{story.pk}/huy/", {}),
        ("get", f"{BASE}{month.key}/thiet-lap/", {}),
        (
            "post",
            f"{BASE}{month.key}/thiet-lap/",
            {"regulation": regulation.pk, "point_value": "1", "fund_cap": "1"},
        ),
        ("get", f"{BASE}{month.key}/khoa-so/", {}),
        ("post", f"{BASE}{month.key}/khoa-so/", {}),
        ("get", f"{BASE}{month.key}/dieu-chinh/", {}),
        (
            "post",
            f"{BASE}{month.key}/dieu-chinh/",
            {"corrects": month.pk, "pen_name": pens["V.A"].pk, "amount": "5000", "reason": "x"},
        ),
    ]
    for method, url, data in attempts:
        response = getattr(client, method)(url, data, follow=True)
        assert response.status_code == 200, url
        assert response.redirect_chain[-1][0] == f"{BASE}{month.key}/", url
        assert LOCKED_MESSAGE in response.content.decode(), url
    # Posting into the month's own grading form for another story of that month, too.
    late = march["ungraded"]
    response = client.post(
        f"{BASE}cham/{late.pk}/",
        grade_post(late, month, tin, 1, [(pens["MINH HẢI"], "viet", 100)]),
    )
    assert response.status_code == 200
    assert "Kỳ này đã khoá sổ hoặc không dùng được ở đây" in response.content.decode()
    # Once April is locked too, its adjustment can no longer be deleted.
    time_machine.move_to(date(2025, 5, 2))
    client.post(f"{BASE}{april.key}/khoa-so/")
    response = client.post(f"{BASE}dieu-chinh/{adjustment.pk}/xoa/", follow=True)
    assert "Kỳ nhuận bút tháng 04/2025 đã duyệt và khoá sổ" in response.content.decode()
    assert Adjustment.objects.filter(pk=adjustment.pk).exists()

    assert list(LedgerLine.objects.filter(month=month).values_list("person_name", "amount")) == [
        line for line in lines_before
    ]
    assert (
        Grade.objects.values("points", "factor", "genre_name", "month_id").get(article=story)
        == grade_before
    )
    assert not Grade.objects.filter(article=late).exists()
    # The locked month offers no editing buttons, only the exports.
    page = client.get(f"{BASE}{month.key}/").content.decode()
    assert "Đã duyệt và khoá sổ" in page and "Sửa chấm" not in page
    assert "Thiết lập kỳ" not in page and "Tải bảng thanh toán (.xlsx)" in page


def test_adjustments_are_made_and_removed_in_an_open_month(newsroom, march):
    chief = newsroom["people"]["tbt"]
    client = client_for(chief)
    month = march["month"]
    periods.lock_month(month, user=chief, today=date(2025, 4, 1))
    april = periods.get_month(date(2025, 4, 1))
    response = client.post(
        f"{BASE}{april.key}/dieu-chinh/",
        {
            "corrects": month.pk,
            "pen_name": newsroom["pens"]["HOÀNG LIÊN"].pk,
            "amount": "-50.000",
            "reason": "Trả thừa ảnh",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Đã lập dòng điều chỉnh trong kỳ 04/2025." in html
    assert "-50.000 đ" in html and "Điều chỉnh kỳ 03/2025" in html
    adjustment = Adjustment.objects.get()
    assert adjustment.amount == -50_000 and adjustment.user == newsroom["people"]["pv2"]
    response = client.post(f"{BASE}dieu-chinh/{adjustment.pk}/xoa/", follow=True)
    assert "Đã xoá dòng điều chỉnh." in response.content.decode()
    assert list(
        ModelLogEntry.objects.filter(action__in=["royalties.adjust", "royalties.unadjust"])
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["royalties.adjust", "royalties.unadjust"]


# --- exports -------------------------------------------------------------------------------------
def test_the_csv_payment_list(newsroom, march):
    client = client_for(newsroom["people"]["ketoan"])
    response = client.get(f"{BASE}{march['month'].key}/bang-thanh-toan.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="nhuan-but-2025-03-ban-nhap.csv"'
    )
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:8] == [
        "STT",
        "Họ và tên",
        "Bút danh",
        "Phòng ban",
        "Số tác phẩm",
        "Điểm",
        "Thành tiền (đồng)",
        "Thành tiền",
    ]
    assert rows[1][:8] == [
        "1",
        "Hoàng Thị Liên",
        "HOÀNG LIÊN",
        "Phòng Kinh tế",
        "1",
        "4",
        "400000",
        "400.000 đ",
    ]
    assert rows[-1][1] == "Tổng cộng" and rows[-1][6:8] == ["1000000", "1.000.000 đ"]
    assert ModelLogEntry.objects.filter(action="royalties.export").count() == 1


def test_the_workbook_is_a_vietnamese_payment_list(newsroom, march):
    client = client_for(newsroom["people"]["ketoan"])
    response = client.get(f"{BASE}{march['month'].key}/bang-thanh-toan.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Bảng thanh toán"]
    assert sheet["A2"].value == "BẢNG THANH TOÁN NHUẬN BÚT THÁNG 03/2025"
    assert "BẢN NHÁP" in sheet["A3"].value
    assert sheet["A5"].value.startswith("Thuế TNCN: khấu trừ 10 % với cộng tác viên")
    header = [cell.value for cell in sheet[8]]
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
    assert [cell.value for cell in sheet[9]][:10] == [
        1,
        "Hoàng Thị Liên",
        "HOÀNG LIÊN",
        "Phòng Kinh tế",
        "Nhân sự",
        1,
        4,
        400_000,
        0,
        400_000,
    ]
    assert sheet["H9"].number_format == '#,##0 "đ"'
    assert [sheet["B11"].value, sheet["H11"].value] == ["Tổng cộng", "=SUM(H9:H10)"]
    assert sheet["A12"].value == "Bằng chữ: Một triệu đồng."
    assert {"Chi tiết", "Phòng ban"} <= set(book.sheetnames)


def test_the_editor_in_chief_reads_every_royalty_change_in_the_audit_log(newsroom, march):
    chief = newsroom["people"]["tbt"]
    periods.lock_month(march["month"], user=chief, today=date(2025, 4, 1))
    html = client_for(chief).get("/admin/reports/site-history/").content.decode()
    assert "Chấm nhuận bút" in html and "Chấm “Lũ về Đại Lộc”: Bài, 10 điểm" in html
    assert "Duyệt và khoá sổ nhuận bút" in html and "tổng chi 1.000.000 đ" in html


def test_accounting_reads_the_regulation_and_departments_without_editing(newsroom):
    client = client_for(newsroom["people"]["ketoan"])
    regulation = newsroom["regulation"]
    department = newsroom["departments"]["politics"]
    page = client.get(f"/admin/snippets/royalties/regulation/inspect/{regulation.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tin (1–5 điểm)" in html and "Độc quyền (×1,2)" in html
    assert not reached(client.get(f"/admin/snippets/royalties/regulation/edit/{regulation.pk}/"))
    html = client.get(f"/admin/snippets/royalties/department/inspect/{department.pk}/")
    assert "Nguyễn Minh Hải (trưởng phòng)" in html.content.decode()


def regulation_form(name: str, genres: list[tuple], multipliers: list[tuple]) -> dict:
    data = {
        "name": name,
        "valid_from": "01/01/2026",
        "point_value": "120000",
        "withholding_rate": "10",
        "withholding_threshold": "2000000",
        "note": "",
        "genres-TOTAL_FORMS": str(len(genres)),
        "genres-INITIAL_FORMS": "0",
        "genres-MIN_NUM_FORMS": "1",
        "genres-MAX_NUM_FORMS": "1000",
        "multipliers-TOTAL_FORMS": str(len(multipliers)),
        "multipliers-INITIAL_FORMS": "0",
        "multipliers-MIN_NUM_FORMS": "0",
        "multipliers-MAX_NUM_FORMS": "1000",
    }
    for i, (genre, kind, low, high) in enumerate(genres):
        data.update(
            {
                f"genres-{i}-name": genre,
                f"genres-{i}-article_kind": kind,
                f"genres-{i}-min_points": low,
                f"genres-{i}-max_points": high,
                f"genres-{i}-ORDER": str(i + 1),
            }
        )
    for i, (multiplier, factor) in enumerate(multipliers):
        data.update(
            {
                f"multipliers-{i}-name": multiplier,
                f"multipliers-{i}-factor": factor,
                f"multipliers-{i}-ORDER": str(i + 1),
            }
        )
    return data


def test_administrators_keep_the_regulation_as_data(newsroom):
    client = client_for(newsroom["people"]["quantri"])
    url = "/admin/snippets/royalties/regulation/add/"
    bad = regulation_form("Quy chế 2026", [("Tin", "tin", "5", "1")], [])
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "Điểm cao nhất phải không nhỏ hơn điểm thấp nhất." in response.content.decode()
    good = regulation_form(
        "Quy chế 2026",
        [("Tin", "tin", "1", "6"), ("Bản dịch", "", "1", "4")],
        [("Độc quyền", "1.25")],
    ) | {"withholding_rate": "5", "withholding_threshold": "1000000"}
    response = client.post(url, good)
    assert response.status_code == 302, response.content.decode()[-2000:]
    created = Regulation.objects.get(name="Quy chế 2026")
    assert [str(g) for g in created.genres.all()] == ["Tin (1–6 điểm)", "Bản dịch (1–4 điểm)"]
    assert created.valid_from == date(2026, 1, 1)
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(created.pk)).exists()
    assert (created.withholding_rate, created.withholding_threshold) == (5, 1_000_000)
    # Months from then on use it, its tax rule too; months already graded keep what they used.
    month = periods.get_month(date(2026, 2, 1))
    assert month.regulation == created
    assert ledger.withholding_of(month) == ledger.Withholding(Decimal(5), 1_000_000)


def test_exported_text_is_never_run_as_a_formula(newsroom, march, make_story):
    pen = PenName.objects.create(name="=HYPERLINK(1)", outside_contributor="=1+1")
    story = make_story("=SUM(A1)", [pen], at(14))
    grading.grade_story(
        story,
        month=march["month"],
        genre=newsroom["regulation"].genres.get(name="Tin"),
        points=Decimal(1),
        shares=[ShareInput(pen, "viet", Decimal(100))],
        user=newsroom["people"]["tbt"],
    )
    client = client_for(newsroom["people"]["ketoan"])
    book = load_workbook(
        io.BytesIO(client.get(f"{BASE}{march['month'].key}/bang-thanh-toan.xlsx").content)
    )
    names = {c.value: c.data_type for c in book["Bảng thanh toán"]["B"] if c.value}
    assert names["=1+1"] == "s"
    titles = {c.value: c.data_type for c in book["Chi tiết"]["B"] if c.value}
    assert titles["=SUM(A1)"] == "s"
    body = client.get(f"{BASE}{march['month'].key}/bang-thanh-toan.csv").content.decode()
    assert "'=1+1,'=HYPERLINK(1)" in body


def test_reporters_see_that_the_month_was_scaled_but_not_the_fund(newsroom, march):
    month = periods.configure_month(
        march["month"],
        regulation=march["month"].regulation,
        point_value=100_000,
        fund_cap=800_000,
        user=newsroom["people"]["tbt"],
    )
    html = client_for(newsroom["people"]["pv"]).get(f"{BASE}{month.key}/").content.decode()
    assert "Kỳ này vượt quỹ nhuận bút: mọi dòng được co lại theo tỷ lệ (80 %" in html
    assert "480.000 đ" in html  # 600.000 đ × 80 %
    assert "800.000 đ" not in html and "1.000.000 đ" not in html
