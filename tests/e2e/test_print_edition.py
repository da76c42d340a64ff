"""The print edition in the browser: the managing editor plans tomorrow's 8-page issue, an
editor cuts a print version (the web story unchanged), the pages go through their states to
"đã gửi in", the final PDFs become the e-paper, read at 375 px and 1280 px and found by a
search without diacritics."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in
from toasoan.printing.samples import page_pdf

pytestmark = pytest.mark.e2e
LONG = 60_000  # ms: a busy machine renders the admin slowly


def _issue_page(page, demo_site):
    page.goto(demo_site + "/admin/bao-in/")
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.get_by_role("link", name=f"{tomorrow:%d/%m/%Y}").click()
    page.wait_for_load_state("networkidle")
    return page.url, tomorrow


def _advance(page, number: int, label: str):
    page.get_by_role("button", name=f"Trang {number}: chuyển sang {label}").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"#page-{number}-title + .printing-state")).to_have_text(
        label, timeout=LONG
    )


def test_plan_cut_approve_upload_and_read_the_epaper(open_page, demo_site, tmp_path):
    # --- the managing editor plans tomorrow's issue ------------------------------------------
    desk = sign_in(open_page, "thuky")
    issue_url, tomorrow = _issue_page(desk, demo_site)
    expect(desk.get_by_role("heading", name=f"ngày {tomorrow:%d/%m/%Y}")).to_be_visible()
    pool = desk.locator(".printing-story")
    # Drag and drop: the first approved story onto page 1.
    first_title = pool.first.locator(".printing-story__title").inner_text()
    # HTML5 drag events with a real DataTransfer, as the browser sends them for a mouse drag.
    carried = desk.evaluate_handle("() => new DataTransfer()")
    target = desk.locator('.printing-page[data-page="1"]')
    pool.first.dispatch_event("dragstart", {"dataTransfer": carried})
    target.dispatch_event("dragover", {"dataTransfer": carried})
    expect(target).to_have_class(re.compile("is-target"))
    target.dispatch_event("drop", {"dataTransfer": carried})
    expect(desk.locator('.printing-page[data-page="1"] .printing-slot')).to_contain_text(
        first_title, timeout=LONG
    )
    # The keyboard way for pages 2–7: choose the page, press "Đặt" (page 8 holds an ad).
    for number in range(2, 8):
        story = desk.locator(".printing-story").first
        title = story.locator(".printing-story__title").inner_text()
        story.locator("select").select_option(str(number))
        story.locator("select").focus()
        desk.keyboard.press("Tab")
        desk.keyboard.press("Enter")
        desk.wait_for_load_state("networkidle")
        expect(desk.locator(f'.printing-page[data-page="{number}"]')).to_contain_text(
            title, timeout=LONG
        )
    expect(desk.locator(".printing-count").first).to_contain_text("ký tự")
    screenshot(desk, "print-plan-1280")

    # --- an editor cuts the print version of page 1's story ----------------------------------
    editor = sign_in(open_page, "bientap")
    editor.goto(issue_url)
    editor.locator('.printing-page[data-page="1"]').get_by_role("link", name="Bản in").first.click()
    editor.wait_for_load_state("networkidle")
    expect(editor.get_by_role("heading", name="Bản in:")).to_be_visible()
    editor.fill("#id_title", "Tít bản in: thông tin đối ngoại thúc đẩy phát triển")
    body = editor.locator("#id_body").input_value()
    editor.fill("#id_body", body.split("\n\n")[0])  # cut to the first paragraph
    editor.get_by_role("button", name="Lưu bản in").click()
    editor.wait_for_load_state("networkidle")
    expect(editor.locator(".messages")).to_contain_text("Bản web không thay đổi", timeout=LONG)
    # The print copy gained a revision (the demo may have made its first already).
    expect(editor.locator("#print-revisions tbody tr").first).to_contain_text("Nguyễn Minh Hải")
    screenshot(editor, "print-version-1280")
    # The web copy is checked unchanged on the public site below (its title, from the e-paper).
    # --- pages through their states ------------------------------------------------------------
    desk.goto(issue_url)
    for number in range(1, 9):
        _advance(desk, number, "Đã dàn trang")
        _advance(desk, number, "Morat")
    chief = sign_in(open_page, "tongbientap")
    chief.goto(issue_url)
    for number in range(1, 9):
        _advance(chief, number, "TBT duyệt")
    desk.goto(issue_url)
    for number in range(1, 9):
        _advance(desk, number, "Đã gửi in")
    expect(desk.locator(".printing-state", has_text="Đã gửi in")).to_have_count(8)

    # --- the final PDFs: page 1 carries "đối ngoại" ------------------------------------------
    files = []
    for number in range(1, 9):
        path = tmp_path / f"trang-{number:02d}.pdf"
        text = "Công tác thông tin đối ngoại" if number == 1 else f"Tin tức trang {number}"
        path.write_bytes(
            page_pdf(
                issue_date=tomorrow,
                issue_number=1,
                page_number=number,
                section="Thời sự",
                stories=[(text, f"{text} được đẩy mạnh trong năm nay.\n\n" * 6)],
                photo_px=(1200, 550),
            )
        )
        files.append(str(path))
    desk.set_input_files("#id_pdfs", files)
    desk.get_by_role("button", name="Tải lên và dựng báo điện tử").click()
    desk.wait_for_load_state("networkidle")
    expect(desk.locator(".messages")).to_contain_text("Đã nhận PDF 8 trang", timeout=LONG)
    expect(desk.locator("#epaper-progress")).to_contain_text("Đã đăng", timeout=LONG * 3)
    screenshot(desk, "print-issue-sent-1280")

    # --- readers: the e-paper at 375 px and 1280 px ------------------------------------------
    address = f"/bao-in/{tomorrow:%Y-%m-%d}/"
    for width in (375, 1280):
        reader = open_page(address, width=width, height=800)
        expect(reader.locator(".epaper-sheet")).to_have_count(8)
        first = reader.locator("#trang-1 img")
        expect(first).to_be_visible()
        assert reader.evaluate("document.querySelector('#trang-1 img').naturalWidth") > 0
        assert reader.evaluate("document.documentElement.scrollWidth") <= width
        reader.get_by_role("link", name="Trang sau").click()
        expect(reader.locator("[data-current]")).to_have_text("2")
        reader.get_by_role("button", name="Phóng to").click()
        expect(reader.get_by_role("button", name="Thu nhỏ")).to_be_visible()
        reader.get_by_role("button", name="Thu nhỏ").click()
        expect(reader.locator("#trang-1 figcaption")).to_contain_text("Trang 1")
        screenshot(reader, f"epaper-{width}")
        assert not [u for u in reader.requested_urls if not u.startswith(demo_site)]
    # Page 1 links to the web version of its story, which kept its web title.
    link = reader.locator("#trang-1 .epaper-stories a").first
    expect(link).to_have_text(first_title)
    reader.goto(demo_site + link.get_attribute("href"))
    expect(reader.locator("h1").first).to_contain_text(first_title)

    # --- search without diacritics finds the page with "đối ngoại" ----------------------------
    found = open_page("/search/bao-in/?q=doi+ngoai", width=375)
    hit = found.locator(".epaper-hits li", has_text=f"ngày {tomorrow:%d/%m/%Y}, trang 1")
    expect(hit).to_have_count(1)
    expect(hit).to_contain_text("đối ngoại")
    screenshot(found, "epaper-search-375")
    hit.get_by_role("link").click()
    found.wait_for_load_state("networkidle")
    assert found.url.endswith(f"{address}#trang-1")
