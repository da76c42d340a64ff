"""Issue #16 in the browser: autosave while drafting, the reviewer's menu, the cancel dialog."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, sign_in

pytestmark = pytest.mark.e2e

TITLE = "Lũ quét ở Nam Trà My, hai thôn bị cô lập"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


# The click's form is sent but the answer is slow: the page stays as it is for a while.
SLOW_SERVER = """document.querySelector('form[data-edit-form]')
  .addEventListener('submit', (event) => event.preventDefault())"""


def _is_autosave(request) -> bool:
    accept = request.headers.get("accept") or ""
    return request.method == "POST" and "/edit/" in request.url and "json" in accept


def open_menu(page) -> list[str]:
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    items = page.locator("footer [data-w-dropdown-target='content']").first
    expect(items).to_be_visible()
    return [t.strip() for t in items.locator("button, a").all_inner_texts() if t.strip()]


def test_draft_autosaves_without_a_pen_name_then_a_reviewer_cancels_with_a_reason(
    open_page, demo_site
):
    # A reporter starts a story from the section: no page-type question, already signed.
    reporter = sign_in(open_page, "phongvien")
    # Wagtail notes the form as loaded 2 s after it opens and autosaves only changes made
    # after that; a person cannot finish a title in 2 s, the test can on a busy machine.
    reporter.add_init_script(
        "document.addEventListener('w-unsaved:watch-edits', () => { window.editsWatched = true })"
    )
    reporter.goto(demo_site + "/admin/pages/")
    reporter.get_by_role("link", name="Xem các trang con của 'Thời sự'").click()
    reporter.get_by_role("link", name="Thêm trang con").click()
    expect(reporter).to_have_url(re.compile(r"/admin/pages/add/newsroom/articlepage/\d+/$"))
    expect(reporter.locator("#id_bylines-0-pen_name-chooser")).to_contain_text("V.A")
    reporter.wait_for_function("window.editsWatched === true", timeout=30000)

    # Without any pen name yet (the row emptied), typing autosaves the draft.
    saves = []
    reporter.on(
        "response",
        lambda r: r.request.method == "POST" and "/admin/pages/" in r.url and saves.append(r),
    )
    reporter.locator("#inline_child_bylines-0").get_by_role(
        "button", name=re.compile("Xóa|Xoá")
    ).click()
    reporter.get_by_role("button", name="Thêm Bút danh").click()
    reporter.locator("#id_title").press_sequentially(TITLE, delay=15)
    reporter.locator("#id_sapo").press_sequentially("Mưa lớn gây lũ quét trong đêm.", delay=15)
    expect(reporter.locator("header").get_by_text("Đã lưu")).to_be_visible(timeout=60000)
    assert saves and all(r.status == 200 for r in saves), [(r.url, r.status) for r in saves]
    expect(reporter.get_by_text("Tự động lưu đang tạm dừng")).to_have_count(0)
    shot(reporter, "issue16-autosave-without-pen-name")

    # Choosing the pen name: the reporter's own come first, marked.
    row = reporter.locator("[id^='inline_child_bylines-']").last
    row.get_by_role("button", name="Chọn bút danh").click()
    modal = reporter.locator(".modal-content")
    expect(modal.locator("[data-chooser-modal-choice]").first).to_have_text("V.A — của bạn")
    shot(reporter, "issue16-pen-name-chooser")
    modal.get_by_role("link", name="V.A — của bạn").click()
    open_menu(reporter)
    footer = reporter.locator("footer")
    footer.get_by_role("button", name="Gửi duyệt theo Quy trình Thời sự").click()
    sent = rf"(Đã gửi duyệt “{re.escape(TITLE)}”|“{re.escape(TITLE)}” và gửi duyệt) tới bước"
    expect(reporter.get_by_text(re.compile(sent))).to_be_visible()
    link = reporter.locator(f"a[href*='/edit/']:has-text('{TITLE}')").first
    edit_url = demo_site + link.get_attribute("href")

    # The section editor: the step's actions first, cancelling last and behind a dialog.
    editor = sign_in(open_page, "bientap")
    editor.add_init_script(
        "document.addEventListener('w-unsaved:watch-edits', () => { window.editsWatched = true })"
    )
    editor.goto(edit_url)
    menu = open_menu(editor)
    assert menu[0] == "Duyệt" and menu[-1] == "Hủy quy trình duyệt…", menu
    shot(editor, "issue16-reviewer-menu")
    editor.locator("footer").get_by_role("button", name="Hủy quy trình duyệt…").click()
    dialog = editor.locator("#cancel-review-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Võ Văn An nhận thư báo")
    shot(editor, "issue16-cancel-dialog")
    dialog.get_by_role("button", name="Không, giữ nguyên").click()
    expect(dialog).to_be_hidden()
    editor.reload()
    assert open_menu(editor)[0] == "Duyệt"  # still in review

    # A decision on its way is not autosaved as well: the fields a workflow button adds look
    # like an edit to Wagtail's watcher, whose autosave would post the decision a second time.
    autosaves = []
    editor.on("request", lambda r: _is_autosave(r) and autosaves.append(r.post_data))
    editor.wait_for_function("window.editsWatched === true", timeout=30000)
    editor.evaluate(SLOW_SERVER)
    editor.locator("footer").get_by_role("button", name="Duyệt", exact=True).click()
    editor.wait_for_timeout(3000)  # Wagtail's watcher looks every 0.5 s
    assert autosaves == [], "the approval was posted again by an autosave"
    editor.reload()
    assert open_menu(editor)[0] == "Duyệt"  # nothing was decided behind the editor's back

    editor.locator("footer").get_by_role("button", name="Hủy quy trình duyệt…").click()
    dialog.get_by_label("Lý do (gửi cho người viết)").fill("Tin trùng với bài đăng sáng nay.")
    dialog.get_by_role("button", name="Hủy quy trình duyệt").click()
    expect(
        editor.get_by_text(
            f"Đã hủy quy trình duyệt “{TITLE}”; bài trở về bản nháp. Đã báo cho Võ Văn An."
        )
    ).to_be_visible()
    shot(editor, "issue16-cancelled-message")

    # The reporter reads why, at the top of the story.
    reporter.goto(edit_url)
    note = reporter.locator("#return-note")
    expect(note).to_contain_text("Quy trình duyệt đã bị hủy")
    expect(note).to_contain_text("Tin trùng với bài đăng sáng nay.")
    shot(reporter, "issue16-reason-in-the-editor")
