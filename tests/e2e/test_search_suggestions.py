"""A reader types two letters in the search box and picks a suggestion with the keyboard alone;
the open list passes axe-core (the WAI-ARIA combobox pattern: combobox, listbox, options)."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot
from .person import axe_problems

pytestmark = pytest.mark.e2e


def test_suggestions_by_keyboard_alone(open_page):
    page = open_page("/search/", width=1280)
    box = page.locator("#search-page-q")
    box.focus()
    page.keyboard.type("cu")  # two letters, no marks
    listbox = page.get_by_role("listbox", name="Gợi ý")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    labels = options.all_inner_texts()
    assert any("Cù Lao Chàm" in label for label in labels), labels
    expect(page.get_by_role("status").filter(has_text="gợi ý")).to_have_count(1)

    page.keyboard.press("ArrowDown")
    first = options.nth(0)
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    assert axe_problems(page) == []
    screenshot(page, "search-suggestions")

    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("ArrowDown")  # opens the list again on the first suggestion
    expect(first).to_have_attribute("aria-selected", "true")
    target = first.inner_text().split(" · ")[0]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1").first).to_contain_text(target)


def test_masthead_box_suggests_folded_and_did_you_mean(open_page):
    page = open_page("/", width=1280)
    box = page.locator("#search-q")
    box.focus()
    page.keyboard.type("hoi a")
    expect(page.get_by_role("option").filter(has_text="Hội An").first).to_be_visible()
    page.keyboard.press("Enter")  # nothing chosen: a search for what is typed
    page.wait_for_url("**/search/?q=hoi+a")
    page = open_page("/search/?q=cu+lao+cham")
    expect(page.locator(".search-did-you-mean")).to_contain_text("cù lao chàm")
