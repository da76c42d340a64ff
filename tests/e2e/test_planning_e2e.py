"""The planning desk clicked through by six people: a reporter files an idea, the section head
returns it with a note, the reporter amends and refiles, it is approved with a photo coverage
whose photographer declines; the managing editor reassigns it and the second photographer
accepts; the draft the approval created goes PV → BTV → TKTS → TBT and the idea is "đã đăng"."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e

TITLE = "Cầu Cửa Đại sau một năm thông xe: du lịch Hội An thay đổi ra sao"
WAIT = 30_000


def footer_action(page, name: str):
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator("footer").get_by_role("button", name=name, exact=True).click()


def fill_date(page, selector: str, value: str) -> None:
    """Typed, then the date picker closed from the keyboard (it lies over the form)."""
    page.fill(selector, value)
    page.press(selector, "Escape")


def test_idea_from_filing_to_publication(open_page, demo_site):
    day = timezone.localdate() + timedelta(days=2)
    deadline = (day - timedelta(days=1)).strftime("%d/%m/%Y") + " 17:00"

    # 1. The reporter files the idea.
    reporter = sign_in(open_page, "phongvien")
    reporter.goto(demo_site + "/admin/ke-hoach/de-tai/moi/")
    reporter.fill("#id_title", TITLE)
    reporter.fill("#id_angle", "Lượng khách qua cầu, dịch vụ mới ở Duy Hải.")
    reporter.select_option("#id_genre", "phong-su")
    reporter.get_by_label("Báo điện tử").check()
    reporter.get_by_label("Báo in").check()
    reporter.select_option("#id_section", label="Thời sự")
    fill_date(reporter, "#id_plan_date", day.strftime("%d/%m/%Y"))
    fill_date(reporter, "#id_deadline", deadline)
    reporter.fill("#id_place", "Hội An, Duy Xuyên")
    reporter.get_by_role("button", name="Gửi đề tài").click()
    expect(reporter.get_by_text(f"Đã gửi đề tài “{TITLE}” tới ban Thời sự.")).to_be_visible(
        timeout=WAIT
    )
    idea_url = reporter.url
    assert re.search(r"/admin/ke-hoach/de-tai/\d+/$", idea_url)
    idea_id = idea_url.rstrip("/").rsplit("/", 1)[1]

    # 2. The section head returns it from the meeting screen, with a note.
    editor = sign_in(open_page, "bientap")
    editor.goto(f"{demo_site}/admin/ke-hoach/?ngay={day:%d/%m/%Y}")
    row = editor.locator("tr", has=editor.get_by_role("link", name=TITLE)).first
    expect(row).to_be_visible(timeout=WAIT)
    screenshot(editor, "planning-meeting-desktop")
    row.get_by_text("Trả lại", exact=True).click()
    row.locator(f"#id_r{idea_id}-note").fill("Cần số liệu khách của Sở Du lịch năm nay.")
    row.get_by_role("button", name="Trả lại kèm ghi chú").click()
    expect(editor.get_by_text(f"Đã trả lại đề tài “{TITLE}” kèm ghi chú.")).to_be_visible(
        timeout=WAIT
    )

    # 3. The reporter reads the note first on the dashboard, amends and refiles.
    reporter.goto(demo_site + "/admin/")
    mine = reporter.locator("#my-assignments-section")
    expect(mine).to_contain_text("Cần số liệu khách của Sở Du lịch", timeout=WAIT)
    mine.get_by_role("link", name="Sửa và gửi lại").first.click()
    reporter.fill(
        "#id_angle", "Lượng khách qua cầu theo số liệu Sở Du lịch, dịch vụ mới ở Duy Hải."
    )
    reporter.get_by_role("button", name="Gửi lại đề tài").click()
    expect(reporter.get_by_text(f"Đã gửi lại đề tài “{TITLE}”.")).to_be_visible(timeout=WAIT)

    # 4. The section head approves it with a photo coverage for the photographer.
    editor.goto(idea_url)
    editor.locator("summary", has_text="Duyệt").first.click()
    editor.select_option(f"#id_a{idea_id}-kind", "anh")
    editor.select_option(f"#id_a{idea_id}-assignee", label="Phạm Quốc Tuấn")
    fill_date(editor, f"#id_a{idea_id}-deadline", deadline)
    editor.get_by_role("button", name="Duyệt và tạo bài nháp").click()
    expect(editor.get_by_text(f"Đã duyệt đề tài “{TITLE}”; bài nháp đã được tạo.")).to_be_visible(
        timeout=WAIT
    )
    expect(editor.locator(".planning-status")).to_contain_text("Đã duyệt")

    # 5. The photographer finds it first on the dashboard and declines, with a reason.
    photographer = sign_in(open_page, "phongvienanh")
    mine = photographer.locator("#my-assignments-section")
    mine.get_by_role("link", name=TITLE).click()
    photographer.get_by_text("Từ chối", exact=True).click()
    photographer.fill("#id_reason", "Trùng lịch chụp kỳ họp HĐND tỉnh.")
    photographer.get_by_role("button", name="Gửi lời từ chối").click()
    expect(photographer.get_by_text("Đã từ chối; người phân công sẽ thấy lý do.")).to_be_visible(
        timeout=WAIT
    )
    coverage_url = photographer.url

    # 6. The managing editor sees it to chase on the dashboard and reassigns it.
    managing = sign_in(open_page, "thuky")
    chase = managing.locator("#planning-chase-section")
    expect(chase).to_contain_text(TITLE, timeout=WAIT)
    managing.goto(coverage_url)
    managing.select_option("#id_assignee", label="Trần Minh Nhật")
    managing.get_by_role("button", name="Giao lại").last.click()
    expect(managing.get_by_text("Đã giao lại cho Trần Minh Nhật.")).to_be_visible(timeout=WAIT)

    # 7. The second photographer accepts; the history keeps who had it before.
    second = sign_in(open_page, "phongvienanh2")
    second.goto(coverage_url)
    second.get_by_role("button", name="Nhận việc").click()
    expect(second.get_by_text("Bạn đã nhận phần việc")).to_be_visible(timeout=WAIT)
    history = second.locator(".planning-log")
    for line in (
        "Phân công ảnh cho Phạm Quốc Tuấn",
        "Từ chối phần ảnh — Trùng lịch chụp kỳ họp HĐND tỉnh.",
        "Phân công lại ảnh: Phạm Quốc Tuấn → Trần Minh Nhật",
        "Nhận phần ảnh",
    ):
        expect(history).to_contain_text(line)

    # 8. The reporter opens the draft the approval created: it shows the idea it serves.
    reporter.goto(idea_url)
    expect(reporter.locator(".planning-status")).to_contain_text("Đang thực hiện")
    reporter.locator(".planning-status").get_by_role("link", name=TITLE).click()
    reporter.get_by_role("navigation", name="Thao tác", exact=True).get_by_role("button").click()
    expect(reporter.get_by_role("link", name=re.compile("^Đề tài · hạn"))).to_be_visible(
        timeout=WAIT
    )
    reporter.keyboard.press("Escape")
    expect(reporter.locator("#id_title")).to_have_value(TITLE)
    footer_action(reporter, "Gửi duyệt theo Quy trình Thời sự")
    expect(
        reporter.get_by_text(re.compile("tới bước “Biên tập viên Thời sự duyệt”"))
    ).to_be_visible(timeout=WAIT)
    edit_url = re.sub(r"(/admin/pages/\d+/edit/).*", r"\1", reporter.url)
    if "/edit/" not in edit_url:
        edit_url = reporter.locator("a[href*='/edit/']", has_text=TITLE).first.get_attribute("href")
        edit_url = demo_site + edit_url
    reporter.goto(idea_url)
    expect(reporter.locator(".planning-status")).to_contain_text("Đã nộp")

    # 9. BTV, TKTS, then TBT approve; the last step publishes.
    chief = sign_in(open_page, "tongbientap")
    for person, action in ((editor, "Duyệt"), (managing, "Duyệt"), (chief, "Duyệt và xuất bản")):
        person.goto(edit_url)
        footer_action(person, action)
        person.wait_for_load_state("networkidle")
    reporter.goto(idea_url)
    expect(reporter.locator(".planning-status")).to_contain_text("Đã đăng", timeout=WAIT)
    screenshot(reporter, "planning-idea-published-desktop")
