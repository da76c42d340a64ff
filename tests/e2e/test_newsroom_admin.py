"""Staff in the admin: Vietnamese whatever the browser asks; stories get folded slugs."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def log_in(page, username: str) -> None:
    page.goto(page.url.split("/admin")[0].rstrip("/") + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "toasoan-demo")
    page.get_by_role("button").filter(has_text=re.compile("Đăng nhập")).click()
    page.wait_for_load_state("networkidle")


def test_reporter_writes_a_story_in_vietnamese_admin(open_page, demo_site):
    page = open_page("/admin/login/", width=1280)
    assert page.locator("html").get_attribute("lang") == "vi"  # browser asked for en-US
    log_in(page, "phongvien")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    page.goto(demo_site + "/admin/pages/")
    page.get_by_role("link", name="Xem các trang con của 'Thời sự'").click()
    page.get_by_role("link", name="Thêm trang con").click()
    page.wait_for_load_state("networkidle")
    if "add_subpage" in page.url:  # asked which kind of page: a story
        page.get_by_role("link", name=re.compile("^Bài viết", re.I)).first.click()
        page.wait_for_load_state("networkidle")
    page.fill("#id_title", "Đường về Điện Bàn đã nâng cấp xong")
    page.fill("#id_sapo", "Sáng nay, tuyến đường nối Điện Bàn với Hội An đã thông xe.")
    # The reporter's own pen name is already there.
    expect(page.locator("#id_bylines-0-pen_name-chooser")).to_contain_text("V.A")
    expect(page.locator("#id_bylines-0-pen_name")).not_to_have_value("")
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_load_state("networkidle")
    saved = re.compile(
        "Đã tạo trang 'Đường về Điện Bàn đã nâng cấp xong'.|"
        "Đã lưu bản nháp “Đường về Điện Bàn đã nâng cấp xong”."  # autosave made it already
    )
    expect(page.get_by_text(saved)).to_be_visible()
    page.screenshot(path="test-artifacts/admin-new-story.png")
    page_id = re.search(r"/admin/pages/(\d+)/edit/", page.url).group(1)
    # A reporter cannot publish; the draft is not public under any address.
    page.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").first.click()
    expect(page.get_by_role("button", name="Xuất bản", exact=True)).to_have_count(0)
    response = page.request.get(demo_site + f"/thoi-su/x-{page_id}.html", max_redirects=0)
    assert response.status == 404

    # The editor-in-chief publishes it; its address keeps every letter of the title, folded.
    chief = open_page("/admin/login/", width=1280)
    log_in(chief, "tongbientap")
    chief.goto(demo_site + f"/admin/pages/{page_id}/edit/")
    chief.locator("footer [data-w-dropdown-target='toggle']").first.click()
    chief.get_by_role("button", name="Xuất bản", exact=True).click()
    chief.wait_for_load_state("networkidle")
    chief.goto(demo_site + f"/thoi-su/x-{page_id}.html")
    assert chief.url.endswith(f"/thoi-su/duong-ve-dien-ban-da-nang-cap-xong-{page_id}.html")
    assert (
        chief.get_by_role("heading", level=1).inner_text() == "Đường về Điện Bàn đã nâng cấp xong"
    )
    assert chief.locator(".story__byline").inner_text() == "V.A"
