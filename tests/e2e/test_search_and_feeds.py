"""A reader searches without diacritics, filters, and finds the paper's feeds (360 and 1280 px)."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.e2e

WIDTHS = {"phone": 360, "desktop": 1280}


@pytest.mark.parametrize("device", WIDTHS)
def test_search_from_the_masthead_without_diacritics(open_page, device):
    page = open_page("/", width=WIDTHS[device])
    if device == "phone":  # the masthead's search button opens the search box
        page.get_by_role("button", name="Tìm kiếm").click()
    page.locator("#search-q").fill("da nang")
    page.locator("#search-q").press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/search/?q=da+nang")
    expect(page.locator(".search-summary")).to_contain_text("kết quả")
    first = page.locator(".search-results .card__title").first
    expect(first.locator("mark")).to_have_count(1)
    expect(page.locator(".search-results mark").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(page, f"search-{device}")

    if device == "phone":  # filters fold behind "Bộ lọc" on phones
        page.get_by_role("button", name="Bộ lọc").click()
    page.locator("#id_date_from").fill("32/13/2021")
    page.locator("#id_sort").select_option("newest")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".search-errors")).to_contain_text("dd/mm/yyyy")
    expect(page.locator(".search-results li").first).to_be_visible()


def test_feed_list_page_links_every_feed(open_page, demo_site):
    page = open_page("/rss/", width=360)
    links = page.locator(".feed-list__url")
    assert links.count() >= 8
    href = links.nth(1).get_attribute("href")
    response = page.request.get(demo_site + href)
    assert response.ok and response.headers["content-type"].startswith("application/rss+xml")
    screenshot(page, "rss-phone")
