"""What a reader sees on a phone (360 px) and a desktop (1280 px)."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.e2e

SEED_TITLE = "Hoạt động thông tin đối ngoại có vai trò quan trọng thúc đẩy phát triển kinh tế"
WIDTHS = {"phone": 360, "desktop": 1280}


def only_own_host(page, base: str) -> None:
    own = urlparse(base).netloc
    foreign = [u for u in page.requested_urls if urlparse(u).netloc not in ("", own)]
    assert foreign == [], f"requests to third-party hosts: {foreign}"


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("device", WIDTHS)
def test_home_page(open_page, demo_site, device):
    page = open_page("/", width=WIDTHS[device])
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Nổi bật").is_visible()
    assert page.get_by_role("heading", name="Mới nhất").is_visible()
    assert page.locator(".featured .card").count() >= 6
    assert page.locator(".latest__list li").count() >= 10
    assert page.locator(".section-block").count() >= 6
    no_horizontal_scroll(page)
    shot = screenshot(page, f"home-{device}")
    assert shot.stat().st_size > 20_000
    only_own_host(page, demo_site)


@pytest.mark.parametrize("device", WIDTHS)
def test_seed_article(open_page, demo_site, device):
    home = open_page("/", width=WIDTHS[device])
    home.get_by_role("link", name=SEED_TITLE).first.click()
    home.wait_for_load_state("networkidle")
    page = home
    assert re.search(
        r"/chinh-tri/hoat-dong-thong-tin-doi-ngoai-co-vai-tro-quan-trong-thuc-day-phat-trien-kinh-te-\d+\.html$",
        page.url,
    )
    title = page.get_by_role("heading", level=1)
    assert title.inner_text() == SEED_TITLE and title.is_visible()
    assert page.locator(".story__byline").inner_text() == "V.A"
    assert page.locator(".story__time time").first.inner_text() == "22/12/2021 10:01"
    assert page.locator(".story__sapo").inner_text().startswith("(QNO) - Sáng nay 22.12,")
    captions = page.locator(".story__body figcaption").all_inner_texts()
    assert [c.strip() for c in captions] == [
        "Phó Chủ tịch UBND tỉnh Hồ Quang Bửu phát biểu khai mạc hội nghị. Ảnh: V.A",
        "Quang cảnh hội nghị tại điểm cầu UBND tỉnh. Ảnh: V.A",
    ]
    photos = page.locator(".story__body figure img")
    assert photos.count() == 2
    assert photos.first.get_attribute("alt").startswith("Phó Chủ tịch UBND tỉnh")
    assert photos.first.evaluate("img => img.naturalWidth") > 0
    assert page.get_by_text("(0) Bình luận").is_visible()
    assert page.locator(".rail__title", has_text="Nổi bật").count() == 1
    assert page.locator(".rail__title", has_text="Mới nhất").count() == 1
    assert page.get_by_role("link", name="Zalo").is_visible()
    no_horizontal_scroll(page)
    screenshot(page, f"seed-article-{device}")
    only_own_host(page, demo_site)


def test_skip_link_and_keyboard_focus(open_page):
    page = open_page("/", width=1280)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"


def test_phone_menu_opens(open_page):
    page = open_page("/", width=360)
    menu = page.get_by_role("navigation", name="Chuyên mục", exact=True)
    assert not menu.get_by_role("link", name="Kinh tế").is_visible()
    page.get_by_role("button", name="Chuyên mục").click()
    menu.get_by_role("link", name="Kinh tế").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Kinh tế"


def test_copy_link_button(open_page, browser):
    page = open_page("/", width=1280)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator(".featured .card__title a").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Sao chép liên kết").click()
    expect(page.locator(".share").get_by_role("status")).to_have_text("Đã sao chép liên kết.")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
