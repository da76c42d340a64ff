"""Nhuận bút in the browser: the editor-in-chief grades a story, a reporter sees only their own
lines, accounting downloads the payment list (phone and desktop widths)."""

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_the_editor_in_chief_grades_a_story_in_the_browser(open_page, demo_site):
    chief = sign_in(open_page, "tongbientap")
    chief.goto(demo_site + "/admin/nhuan-but/")
    expect(chief.get_by_role("heading", name="Sổ nhuận bút")).to_be_visible()
    expect(chief.locator("main")).to_contain_text("Đã khoá sổ")
    screenshot(chief, "royalties-months-1280")

    chief.locator("tbody a").first.click()  # the current month
    chief.wait_for_load_state("networkidle")
    month_url = chief.url
    chief.get_by_role("link", name="Chấm tác phẩm của kỳ").click()
    chief.wait_for_load_state("networkidle")
    row = chief.locator("tbody tr").filter(has=chief.get_by_role("link", name="Chấm")).first
    title = row.locator("td").nth(1).inner_text().strip()
    row.get_by_role("link", name="Chấm").click()
    chief.wait_for_load_state("networkidle")
    expect(chief.get_by_role("heading", name="Chấm nhuận bút")).to_be_visible()
    # A split that does not add up to 100 % is refused, with the reason.
    chief.fill("#id_shares-0-percent", "90")
    chief.get_by_role("button", name="Chấm nhuận bút").click()
    chief.wait_for_load_state("networkidle")
    expect(chief.get_by_role("alert")).to_contain_text("Tổng tỷ lệ chia phải đúng 100 %")
    # Two contributors: the writer 70 %, a photographer 30 %.
    chief.fill("#id_shares-0-percent", "70")
    chief.select_option("#id_shares-1-pen_name", label="THU HÀ")
    chief.select_option("#id_shares-1-role", value="anh")
    chief.fill("#id_shares-1-percent", "30")
    chief.get_by_label("Tin, bài độc quyền (×1,2)").check()
    screenshot(chief, "royalties-grade-1280")
    chief.get_by_role("button", name="Chấm nhuận bút").click()
    chief.wait_for_load_state("networkidle")
    expect(chief.locator(".messages")).to_contain_text(f"Đã chấm “{title}”")

    chief.goto(month_url)
    expect(chief.locator("main")).to_contain_text(title)
    expect(chief.locator("main")).to_contain_text("vượt quỹ")
    screenshot(chief, "royalties-month-1280")


def test_a_reporter_sees_only_their_own_lines_on_a_phone(open_page, demo_site):
    reporter = sign_in(open_page, "phongvien", width=360)
    reporter.goto(demo_site + "/admin/nhuan-but/")
    reporter.locator("tbody a").nth(1).click()  # last month, locked
    reporter.wait_for_load_state("networkidle")
    main = reporter.locator("main")
    expect(main).to_contain_text("Đã duyệt và khoá sổ")
    expect(main).to_contain_text("Võ Văn An")
    expect(main).not_to_contain_text("Hoàng Thị Liên")
    expect(main).not_to_contain_text("Tải bảng thanh toán")
    screenshot(reporter, "royalties-reporter-360")


def test_accounting_downloads_the_payment_list(open_page, demo_site):
    accountant = sign_in(open_page, "ketoan")
    accountant.goto(demo_site + "/admin/nhuan-but/")
    accountant.locator("tbody a").nth(1).click()  # last month, locked
    accountant.wait_for_load_state("networkidle")
    expect(accountant.get_by_role("link", name="Duyệt và khoá sổ")).to_have_count(0)
    with accountant.expect_download() as download:
        accountant.get_by_role("link", name="Tải bảng thanh toán (.xlsx)").click()
    assert re.fullmatch(r"nhuan-but-\d{4}-\d{2}\.xlsx", download.value.suggested_filename)
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    sheet = book["Bảng thanh toán"]
    assert sheet["A2"].value.startswith("BẢNG THANH TOÁN NHUẬN BÚT THÁNG")
    assert [c.value for c in sheet[8]][-3:] == ["Thuế TNCN", "Thực nhận", "Ký nhận"]
    screenshot(accountant, "royalties-accounting-1280")


def test_print_use_is_graded_apart_and_accounting_sees_the_issue_and_page(open_page, demo_site):
    """The demo's back issues went to the printer: each printed story waits to be graded as
    print use, apart from its web publication; accounting reads where it was printed."""
    chief = sign_in(open_page, "tongbientap")
    chief.goto(demo_site + "/admin/nhuan-but/cho-cham/")
    expect(chief.get_by_role("heading", name="Báo in chờ chấm")).to_be_visible()
    row = chief.locator("#bao-in-cho-cham tbody tr").first
    where = row.locator("td").nth(2).inner_text().strip()
    assert re.fullmatch(r"Báo in số \d+ ngày \d\d/\d\d/\d{4}, trang \d+", where), where
    expect(row).to_contain_text("bản in, phiên bản")
    chief.get_by_role("heading", name="Báo in chờ chấm").scroll_into_view_if_needed()
    chief.screenshot(path=str(ARTIFACTS / "royalties-queue-print-1280.png"))
    row.get_by_role("link", name="Chấm bản in").click()
    chief.wait_for_load_state("networkidle")
    expect(chief.get_by_role("heading", name="Chấm nhuận bút (báo in)")).to_be_visible()
    expect(chief.locator("main")).to_contain_text(where)
    expect(chief.locator("main")).to_contain_text("Chấm riêng với lần đăng trên báo điện tử")
    screenshot(chief, "royalties-grade-print-1280")
    chief.get_by_role("button", name="Chấm nhuận bút").click()
    chief.wait_for_load_state("networkidle")
    done = chief.locator(".messages").inner_text()
    assert f"— {where}" in done, done
    key = re.search(r"kỳ (\d\d)/(\d{4})", done)
    month = f"{key.group(2)}-{key.group(1)}"

    for width in (1280, 375):
        accountant = sign_in(open_page, "ketoan", width=width)
        accountant.goto(f"{demo_site}/admin/nhuan-but/{month}/")
        accountant.wait_for_load_state("networkidle")
        line = accountant.locator("main tr").filter(has_text=where).first
        expect(line).to_be_visible()
        line.scroll_into_view_if_needed()
        accountant.screenshot(path=str(ARTIFACTS / f"royalties-month-print-{width}.png"))
