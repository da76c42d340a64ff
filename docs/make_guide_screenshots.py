"""Take the editor guide's screenshots from a running demo (`make run`), with Debian's Chromium.

    .venv/bin/python docs/make_guide_screenshots.py http://127.0.0.1:8000 WAITING RETURNED CHIEF

WAITING: a story waiting for the section editor `bientap`; RETURNED: a story sent back to
`phongvien`; CHIEF: a story at the editor-in-chief's step. Writes JPEGs into docs/huong-dan/.
"""

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

OUT = Path(__file__).parent / "huong-dan"


def save(page, name: str, full_page: bool = False) -> None:
    png = page.screenshot(full_page=full_page)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.thumbnail((1100, 1400))
    image.save(OUT / f"{name}.jpg", quality=80, optimize=True)


def main(base: str, waiting_id: str, returned_id: str, chief_id: str) -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )

        def staff(username: str):
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(base + "/admin/login/")
            if username == "phongvien":
                save(page, "01-dang-nhap")
            page.fill("#id_username", username)
            page.fill("#id_password", "toasoan-demo")
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_load_state("networkidle")
            return page

        reporter = staff("phongvien")
        save(reporter, "02-bang-dieu-khien-phong-vien")
        reporter.goto(base + f"/admin/pages/{returned_id}/edit/")
        reporter.wait_for_load_state("networkidle")
        reporter.locator("footer [data-w-dropdown-target='toggle']").first.click()
        reporter.wait_for_timeout(500)  # the menu's opening animation
        save(reporter, "03-viet-bai-va-gui-duyet")

        editor = staff("bientap")
        save(editor, "04-cho-ban-duyet")
        editor.goto(base + f"/admin/pages/{waiting_id}/edit/")
        editor.wait_for_load_state("networkidle")
        editor.locator("footer [data-w-dropdown-target='toggle']").first.click()
        editor.locator("footer").get_by_role("button", name="Yêu cầu sửa", exact=True).click()
        editor.locator(".modal-content textarea").fill("Bổ sung ý kiến của ngư dân.")
        save(editor, "05-tra-lai-kem-ghi-chu")

        chief = staff("tongbientap")
        chief.goto(base + f"/admin/pages/{chief_id}/edit/")
        chief.wait_for_load_state("networkidle")
        chief.get_by_role("button", name="Mở/đóng trạng thái").click()
        chief.get_by_role("button", name="Đặt lịch").click()
        save(chief, "06-dat-lich-xuat-ban")
        chief.goto(base + "/admin/pages/")
        chief.get_by_role("link", name="Xem các trang con của 'Chính trị'").click()
        chief.wait_for_load_state("networkidle")
        first_live = chief.locator("a[href$='/edit/']").nth(1).get_attribute("href")
        story_id = first_live.strip("/").split("/")[-2]
        chief.goto(base + f"/admin/pages/{story_id}/unpublish/")
        chief.fill("#id_unpublish_reason", "Thông tin chưa được kiểm chứng.")
        save(chief, "07-go-bai-kem-ly-do")
        chief.goto(base + f"/admin/pages/{story_id}/history/")
        save(chief, "08-lich-su-phien-ban")
        chief.goto(base + "/admin/reports/site-history/")
        save(chief, "09-nhat-ky-hoat-dong")
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
