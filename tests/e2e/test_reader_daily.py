"""The daily reader's points (issue #16): a compact phone masthead, dense story lists, folded
search filters, photos as sharp as they are shown, an accessible menu button, a favicon."""

import subprocess
import sys

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .conftest import ROOT, screenshot

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
SEED_PATH_START = "/chinh-tri/hoat-dong-thong-tin-doi-ngoai-co-vai-tro-quan-trong"


def seed_path(open_page) -> str:
    home = open_page("/", width=1280)
    link = home.locator(f"a[href^='{SEED_PATH_START}']").first
    return link.get_attribute("href")


def fully_in_first_screen(page, selector: str) -> int:
    return page.evaluate(
        """([selector, height]) => [...document.querySelectorAll(selector)].filter((el) => {
            const box = el.getBoundingClientRect();
            return box.height > 0 && box.top >= 0 && box.bottom <= height;
        }).length""",
        [selector, PHONE["height"]],
    )


def test_phone_masthead_is_compact_sticky_with_menu_and_search_buttons(open_page):
    page = open_page("/kinh-te/", **PHONE)
    masthead = page.locator(".masthead")
    assert masthead.bounding_box()["height"] <= 56
    page.mouse.wheel(0, 1500)
    page.wait_for_function("window.scrollY > 1000")
    box = masthead.bounding_box()
    assert box["y"] == 0 and box["height"] <= 56, "the masthead stays at the top"

    search = page.get_by_role("button", name="Tìm kiếm")
    assert not page.locator("#search-q").is_visible()
    search.click()
    expect(search).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#search-q")).to_be_focused()
    page.keyboard.type("Hội An")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search/?q=" in page.url
    assert page.locator(".search-results li").count() >= 1

    menu = page.get_by_role("button", name="Chuyên mục")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    with page.expect_navigation():
        page.locator(".menu").get_by_role("link", name="Thể thao").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Thể thao"
    screenshot(page, "daily-section-phone")


def test_desktop_masthead_shows_search_box_and_menu_without_toggles(open_page):
    page = open_page("/", width=1280)
    assert page.locator("#search-q").is_visible()
    assert page.locator(".menu").get_by_role("link", name="Kinh tế").is_visible()
    assert page.locator("[data-masthead-toggle]").evaluate_all(
        "buttons => buttons.every((b) => getComputedStyle(b).display === 'none')"
    )


def test_a_phone_sees_four_stories_of_a_section_in_its_first_screen(open_page):
    page = open_page("/kinh-te/", **PHONE)
    assert fully_in_first_screen(page, ".card--row") >= 4
    first = page.locator(".card--row").first
    image, title = first.locator("img").bounding_box(), first.locator("h3").bounding_box()
    assert image["x"] + image["width"] <= title["x"], "the thumbnail sits left of the title"
    assert not first.locator(".card__sapo").is_visible()


def test_latest_news_has_thumbnails(open_page):
    for width in (375, 1280):
        page = open_page("/", width=width)
        thumbs = page.locator(".latest__list .card__media img")
        assert thumbs.count() >= 10
        thumbs.first.scroll_into_view_if_needed()
        assert thumbs.first.evaluate("img => img.complete && img.naturalWidth > 0")


def test_search_filters_fold_on_phones(open_page):
    page = open_page("/search/?q=qu%E1%BA%A3ng+nam", **PHONE)
    filters = page.get_by_role("button", name="Bộ lọc")
    assert not page.locator("#id_section").is_visible()
    assert fully_in_first_screen(page, ".search-results li") >= 2
    filters.click()
    expect(filters).to_have_attribute("aria-expanded", "true")
    assert page.locator("#id_section").is_visible()
    screenshot(page, "daily-search-phone")

    filtered = open_page("/search/?q=qu%E1%BA%A3ng+nam&sort=newest", **PHONE)
    assert filtered.get_by_label("Sắp xếp").is_visible(), "a filter in use stays in sight"
    desktop = open_page("/search/?q=qu%E1%BA%A3ng+nam", width=1280)
    assert desktop.locator("#id_section").is_visible()
    assert not desktop.get_by_role("button", name="Bộ lọc").is_visible()


# Each photo shown in the page: its width on screen, and the true width of the file the
# browser chose (an <img srcset>'s own naturalWidth is already divided by the pixel density).
SHARPNESS = """async () => Promise.all([...document.querySelectorAll("main img")].filter((img) => {
    const box = img.getBoundingClientRect();
    return box.width > 0 && img.complete && img.currentSrc;
}).map((img) => new Promise((resolve) => {
    const file = new Image();
    file.onload = () => resolve({
        src: img.currentSrc.split("/").pop(),
        shown: img.getBoundingClientRect().width,
        natural: file.naturalWidth,
        lead: !!img.closest(".card--lead"),
    });
    file.src = img.currentSrc;
})))"""


@pytest.mark.parametrize("scale", [1, 2])
@pytest.mark.parametrize("width", [375, 768, 1280])
def test_photos_are_as_sharp_as_they_are_shown(open_page, demo_site, width, scale):
    """Each photo's chosen file is at least as wide as the photo is shown on the screen's
    pixels (× device pixel ratio), and not more than 2.2 times that."""
    pages = ["/", "/kinh-te/", seed_path(open_page)]
    seen_lead = False
    for path in pages:
        page = open_page(path, width=width, height=900, scale=scale)
        for y in range(0, page.evaluate("document.body.scrollHeight"), 600):
            page.evaluate(f"window.scrollTo(0, {y})")  # lazy images load as they come in
            page.wait_for_timeout(50)
        page.wait_for_load_state("networkidle")
        photos = page.evaluate(SHARPNESS)  # the loaded ones: at least every card's
        assert len(photos) >= 5, (path, photos)
        widest = {}  # a file the page already loaded for a bigger place is reused as it is
        for photo in photos:
            widest[photo["src"]] = max(widest.get(photo["src"], 0), photo["shown"])
        for photo in photos:
            needed = photo["shown"] * scale
            assert photo["natural"] >= needed - 1, (path, photo)
            assert photo["natural"] <= widest[photo["src"]] * scale * 2.2, (path, photo)
        seen_lead |= any(photo["lead"] for photo in photos)
    assert seen_lead


AXE = Axe()
RENDER_404 = """
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from toasoan.frontpage.errors import not_found
request = RequestFactory().get("/khong-co/")
request.user = AnonymousUser()
print(not_found(request).content.decode())
"""


def not_found_page(open_page, demo_site, width: int):
    """The paper's own 404 page (the demo server runs with DEBUG, which shows Django's)."""
    html = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-v0", "-c", RENDER_404],
        env=demo_site.env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    page = open_page("/favicon.ico", width=width, height=812)
    page.route(
        demo_site + "/khong-co/",
        lambda route: route.fulfill(status=404, body=html, content_type="text/html"),
    )
    page.goto(demo_site + "/khong-co/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Không tìm thấy trang"
    return page


@pytest.mark.parametrize("width", [375, 1280])
def test_public_pages_pass_axe(open_page, demo_site, width):
    """No axe violation (WCAG 2.x A/AA) on every kind of public page — home, section, story,
    topic, pen name, search, 404, the English edition's home and story — the menu button
    included (its checkbox's label was hidden on desktops)."""
    story = seed_path(open_page)
    seed = open_page(story)
    topic = seed.locator(".topics a").first.get_attribute("href")
    pen_name = seed.locator(".story__byline a").first.get_attribute("href")
    english = open_page("/en/").locator("main a[href$='.html']").first.get_attribute("href")
    paths = ["/", "/kinh-te/", story, topic, pen_name, "/search/?q=h%E1%BB%99i+an", "404"]
    paths += ["/en/", english]
    for path in paths:
        if path == "404":
            page = not_found_page(open_page, demo_site, width)
        else:
            page = open_page(path, width=width, height=812)
        screenshot(page, f"daily-axe-{path.strip('/').replace('/', '-')[:30] or 'home'}-{width}")
        results = AXE.run(page)
        violations = [
            (v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]
        ]
        assert violations == [], (path, violations)


def test_favicon_is_served(open_page, demo_site):
    page = open_page("/", width=1280)
    response = page.request.get(demo_site + "/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert response.body()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert page.locator("link[rel=icon]").get_attribute("href") == "/favicon.ico"
