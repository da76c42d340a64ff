"""Take the screenshots of docs/nhuan-but.md from a running demo (`make run`), with Debian's
Chromium, and save them as JPEG beside this file:

    STAFF_2FA=0 make run      # the administrator's screens need two-factor sign-in otherwise
    .venv/bin/python docs/nhuan-but/make_screenshots.py http://127.0.0.1:8000

It grades nothing and locks nothing: it only opens the screens (the demo already has a locked
month, an open month over its fund, an adjustment and stories waiting to be graded).
"""

import io
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

OUT = Path(__file__).parent


def save(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    png = page.screenshot()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.thumbnail((1100, 1100))
    image.save(OUT / f"{name}.jpg", quality=80, optimize=True)


def main(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )

        def staff(username: str, width: int = 1280, height: int = 1000):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(base + "/admin/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", "toasoan-demo")
            page.get_by_role("button", name="Đăng nhập").click()
            page.wait_for_load_state("networkidle")
            return page

        chief = staff("tongbientap")
        chief.goto(base + "/admin/nhuan-but/")
        save(chief, "01-so-nhuan-but")
        months = [a.get_attribute("href") for a in chief.locator("tbody a").all()]
        current, last = months[0], months[1]

        chief.goto(base + current)
        chief.get_by_role("link", name="Chấm tác phẩm của kỳ").click()
        save(chief, "02-bai-cho-cham")
        chief.locator("tbody").get_by_role("link", name="Chấm").first.click()
        chief.wait_for_load_state("networkidle")
        chief.fill("#id_shares-0-percent", "70")
        chief.select_option("#id_shares-1-pen_name", label="THU HÀ")
        chief.select_option("#id_shares-1-role", value="anh")
        chief.fill("#id_shares-1-percent", "20")
        chief.get_by_role("button", name="Chấm nhuận bút").click()  # refused: 90 %
        save(chief, "03-cham-nhuan-but")

        chief.goto(base + current)
        save(chief, "04-ky-dang-mo")
        chief.get_by_role("heading", name="Theo phòng ban").scroll_into_view_if_needed()
        save(chief, "04b-theo-phong-ban")
        chief.goto(base + current + "khoa-so/")
        save(chief, "05-khoa-so")

        chief.goto(base + last + "thiet-lap/")  # a locked month refuses every change
        save(chief, "06-ky-da-khoa")

        admin = staff("quantri")
        admin.goto(base + "/admin/snippets/royalties/regulation/")
        admin.locator("tbody a").first.click()
        admin.wait_for_load_state("networkidle")
        admin.mouse.move(640, 500)
        admin.mouse.wheel(0, 650)
        admin.wait_for_timeout(300)
        save(admin, "07-quy-che")

        reporter = staff("phongvien", width=360, height=800)
        reporter.goto(base + last)
        save(reporter, "08-phong-vien-dien-thoai")

        accountant = staff("ketoan")
        accountant.goto(base + last)
        save(accountant, "09-ke-toan")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
