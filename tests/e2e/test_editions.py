"""The English edition, clicked through: an editor asks for an English version of a story, the
translator translates it segment by segment with the termbase's suggestion, the English desk
and the editor-in-chief approve it, and readers switch between the two versions."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e

ENGLISH_TITLE = "Quang Nam moves thousands of families to safety before the storm"


def alternates(page) -> dict[str, str]:
    links = page.locator("head link[rel=alternate][hreflang]")
    return {
        links.nth(i).get_attribute("hreflang"): links.nth(i).get_attribute("href")
        for i in range(links.count())
    }


def test_english_version_from_request_to_reader(open_page, demo_site):
    # A Vietnamese story of the "Thời sự" desk, as readers see it.
    reader = open_page("/thoi-su/", width=1280)
    first = reader.locator("main .card__title a").first
    vi_url = demo_site + first.get_attribute("href")
    vi_id = re.search(r"-(\d+)\.html$", vi_url).group(1)

    # 1. The section editor asks for an English version (wagtail-localize's "Translate").
    editor = sign_in(open_page, "bientap")
    editor.goto(f"{demo_site}/admin/localize/submit/page/{vi_id}/")
    editor.get_by_label("English").check()
    editor.locator("main form [type=submit]").last.click()
    editor.wait_for_load_state("networkidle")
    title = first.inner_text().strip()

    # 2. The translator works segment by segment; the termbase suggests official names.
    translator = sign_in(open_page, "biendich")
    todo = translator.locator("#translations-to-do-section")  # the dashboard's "to do" panel
    todo.get_by_role("link", name=title).click()
    translator.wait_for_load_state("networkidle")
    en_edit = re.sub(r"\?.*$", "", translator.url)
    assert re.search(r"/admin/pages/\d+/edit/$", en_edit), translator.url
    segments = translator.locator(
        ".js-translation-editor li.incomplete, .js-translation-editor li.complete"
    )
    expect(segments.first).to_be_visible()
    expect(translator.locator("[data-term-hints]").first).to_be_visible()
    hints = translator.locator("[data-term-hints]").first.inner_text()
    assert "→" in hints  # e.g. "Hội An → Hoi An", from the demo termbase
    # wagtail-localize's own words in Vietnamese too (its heading is rewritten by the desk).
    expect(translator.get_by_text("Bản dịch từ Tiếng Việt sang English")).to_be_visible()
    expect(translator.get_by_text("Tải tệp PO về", exact=True)).to_be_visible()
    expect(translator.get_by_text("Download PO file")).to_have_count(0)
    progress = translator.locator("[data-progress]")
    total = int(progress.inner_text().split("/")[1])
    screenshot(translator, "editions-translation-desk")
    used_term, english_title = False, ENGLISH_TITLE
    saves_on_the_way = []  # the last segment's save, held back as on a slow connection
    last_save = "**/localize/translate/*/strings/*/edit/"
    for n in range(40):
        todo = translator.locator(".js-translation-editor li.incomplete")
        before = todo.count()
        if before == 0:
            break
        if before == 1:
            # The desk's counter followed each save: all but this last one are counted.
            expect(progress).to_have_text(f"{total - 1}/{total}")
            translator.route(last_save, lambda route: saves_on_the_way.append(route))
        item = todo.first
        source = item.locator(":scope > p").first
        suggested = item.locator("[data-term-hints] strong").all_inner_texts()
        if "title" in (source.get_attribute("class") or ""):
            text = english_title = ENGLISH_TITLE + "".join(f" ({s})" for s in suggested)
        else:
            text = f"English text of segment {n}." + "".join(f" {s}." for s in suggested)
        used_term = used_term or bool(suggested)
        item.locator("ul li button").last.click()
        item.locator("textarea").fill(text)
        item.locator("textarea").press("Enter")
        expect(todo).to_have_count(before - 1)
    assert used_term
    # The translator sends it at once: "Gửi duyệt" waits for the segment still being saved.
    send = translator.locator("[data-submit-translation]")
    send.click()
    expect(send).to_have_attribute("aria-busy", "true")
    expect(send).to_be_disabled()  # a second click cannot send it twice
    expect(send).to_have_text("Đang lưu đoạn vừa dịch…")
    screenshot(translator, "editions-translation-desk-sending")
    assert saves_on_the_way, "the last segment's save was not held"
    with translator.expect_navigation(timeout=30_000):  # sent once the save is through
        for save in saves_on_the_way:
            save.continue_()
    translator.unroute(last_save)
    translator.wait_for_load_state("networkidle")
    expect(translator.get_by_text("Đã gửi bản dịch tới bàn duyệt của ấn bản.")).to_be_visible()
    warnings = translator.get_by_text("chưa dùng thuật ngữ chuẩn")
    assert warnings.count() == 0, warnings.all_inner_texts()

    # 3. The English desk approves, then the editor-in-chief approves and it is published.
    for username in ("bientapanh", "tongbientap"):
        approver = sign_in(open_page, username)
        approver.goto(en_edit)
        approver.locator("[data-review-action=approve]").click()
        approver.wait_for_load_state("networkidle")

    # 4. Readers: the English edition shows it, and the switcher goes both ways.
    reader.goto(demo_site + "/en/news/")
    reader.get_by_role("link", name=english_title).first.click()
    reader.wait_for_load_state("networkidle")
    en_url = reader.url
    assert re.search(r"/en/news/quang-nam-moves-thousands-of-families-.*-\d+\.html$", en_url)
    expect(reader.locator("html")).to_have_attribute("lang", "en")
    en_links = alternates(reader)
    screenshot(reader, "editions-english-story")
    reader.locator(".edition-switcher a[hreflang=vi]").click()
    reader.wait_for_load_state("networkidle")
    assert reader.url == vi_url
    vi_links = alternates(reader)
    assert en_links == vi_links == {"vi": vi_url, "en": en_url, "x-default": vi_url}
    reader.locator(".edition-switcher a[hreflang=en]").click()
    reader.wait_for_load_state("networkidle")
    assert reader.url == en_url


def test_switcher_without_a_counterpart_goes_to_the_editions_home(open_page, demo_site):
    page = open_page("/en/", width=360)
    story = page.locator("main .card__title a").first
    story.click()
    page.wait_for_load_state("networkidle")
    switch = page.locator(".edition-switcher a[hreflang=vi]")
    href = switch.get_attribute("href")
    if href != demo_site + "/":  # the seed article has a Vietnamese version; others do not
        assert "/en/" not in href
    page.goto(demo_site + "/en/business/")
    page.locator(".edition-switcher a[hreflang=vi]").click()
    page.wait_for_load_state("networkidle")
    assert page.url == demo_site + "/kinh-te/"
    screenshot(page, "editions-vietnamese-from-switcher-phone")
