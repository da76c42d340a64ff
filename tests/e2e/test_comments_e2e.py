"""A reader comments, sees the waiting notice; a moderator approves it in the admin; the
comment appears and the count goes up. Also: the poll and "Đọc nhiều" of the demo paper."""

import re
import time
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.e2e

ROAD_STORY = "Tuyến đường ĐT 608 qua Điện Bàn"


def comment_count(page) -> int:
    text = page.locator(".story__comments").inner_text()
    return int(re.search(r"\((\d+)\) Bình luận", text).group(1))


def open_road_story(open_page, width):
    page = open_page("/thoi-su/", width=width)
    page.get_by_role("link", name=re.compile(ROAD_STORY)).first.click()
    page.wait_for_load_state("networkidle")
    return page


def test_reader_comment_is_approved_by_a_moderator(open_page, demo_site):
    reader = open_road_story(open_page, 360)
    before = comment_count(reader)
    assert before >= 2  # the demo's approved comments
    text = f"Đường mới đi rất êm, cảm ơn tỉnh. <script>alert('e2e')</script> #{int(time.time())}"
    form = reader.locator("form.comment-form")
    expect(form).to_be_visible()
    form.get_by_label("Bình luận").fill(text)
    form.get_by_label("Tên của bạn").fill("Hồ Thị Duyên")
    form.get_by_label("Email").fill("duyen.e2e@example.vn")
    reader.wait_for_timeout(3500)  # a person takes longer than the time-to-submit minimum
    form.get_by_role("button", name="Gửi bình luận").click()
    expect(form.locator(".comment-form__status")).to_have_text("Bình luận của bạn đang chờ duyệt.")
    screenshot(reader, "comment-waiting-phone")
    reader.reload()
    reader.wait_for_load_state("networkidle")
    assert comment_count(reader) == before
    expect(reader.get_by_text("Đường mới đi rất êm")).to_have_count(0)

    moderator = open_page("/admin/login/", width=1280)
    moderator.fill("#id_username", "kiemduyet")
    moderator.fill("#id_password", "toasoan-demo")
    moderator.get_by_role("button").filter(has_text=re.compile("Đăng nhập")).click()
    moderator.wait_for_load_state("networkidle")
    moderator.get_by_role("link", name=re.compile(r"\d+ bình luận chờ duyệt")).click()
    moderator.wait_for_load_state("networkidle")
    row = moderator.locator("tr", has_text="Đường mới đi rất êm")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("<script>alert('e2e')</script>")  # shown as text, inert
    row.locator("input[type=checkbox]").check()
    moderator.locator("[data-bulk-action-footer]").get_by_text("Duyệt", exact=True).click()
    moderator.wait_for_load_state("networkidle")
    screenshot(moderator, "comment-approve-confirm")
    moderator.get_by_role("button", name="Có, thực hiện").click()
    moderator.wait_for_load_state("networkidle")
    expect(moderator.get_by_text("Đã duyệt: 1 bình luận.")).to_be_visible()
    screenshot(moderator, "comment-queue-after-approval")

    reader.reload()
    reader.wait_for_load_state("networkidle")
    assert comment_count(reader) == before + 1
    shown = reader.locator(".comment", has_text="Đường mới đi rất êm")
    expect(shown.locator(".comment__name").first).to_have_text("Hồ Thị Duyên")
    expect(shown.locator(".comment__text").first).to_contain_text("<script>alert('e2e')</script>")
    assert "duyen.e2e" not in reader.content()
    shown.first.scroll_into_view_if_needed()
    screenshot(reader, "comment-approved-phone")


def test_poll_vote_shows_results(open_page):
    page = open_road_story(open_page, 1280)
    poll = page.locator(".poll")
    expect(poll).to_contain_text("Bạn đánh giá thế nào về tuyến ĐT 608")
    poll.get_by_label("Tốt hơn hẳn").check()
    poll.get_by_role("button", name="Bình chọn").click()
    expect(poll.locator(".poll__status")).to_have_text("Cảm ơn bạn đã bình chọn.")
    expect(poll.locator(".poll__total")).to_contain_text("lượt bình chọn")
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".poll__results")).to_be_visible()  # this visitor has voted
    expect(page.locator(".poll__form")).to_be_hidden()
    screenshot(page, "story-with-poll-and-comments-desktop")


@pytest.mark.parametrize("width", [360, 1280])
def test_most_read_on_home(open_page, width):
    page = open_page("/", width=width)
    rails = page.locator(".most-read")
    expect(rails.get_by_role("heading", name="Đọc nhiều")).to_be_visible()
    expect(rails.get_by_text("24 giờ qua")).to_be_visible()
    expect(rails.get_by_text("7 ngày qua")).to_be_visible()
    assert rails.locator("li").count() >= 6
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def send_reader_comments(page, demo_site, texts: list[str]) -> int:
    """Two readers' comments through the public form's own endpoint; returns the story id."""
    action = page.locator("form.comment-form").get_attribute("action")
    session = page.request.get(demo_site + "/binh-luan/phien/").json()
    page.wait_for_timeout(3200)  # the time-to-submit minimum
    for n, text in enumerate(texts):
        answer = page.request.post(
            demo_site + action,
            form={
                "name": f"Bạn đọc {n + 1}",
                "email": f"hang.cho{n}.{time.time_ns()}@example.vn",
                "text": text,
                "ts": session["ts"],
                "website": "",
                "parent": "",
            },
            headers={"X-CSRFToken": session["csrf"], "Accept": "application/json"},
        )
        assert answer.json()["ok"], answer.text()
    return int(re.search(r"/gui/(\d+)/", action).group(1))


def test_moderator_walks_the_queue_with_the_keyboard(open_page, demo_site):
    reader = open_road_story(open_page, 1280)
    stamp = int(time.time())
    first, second = f"Hàng chờ {stamp}: cần thêm đèn", f"Hàng chờ {stamp}: cảm ơn tỉnh"
    story_id = send_reader_comments(reader, demo_site, [first, second])

    moderator = open_page("/admin/login/", width=1280)
    script_errors = []
    moderator.on("pageerror", lambda error: script_errors.append(str(error)))
    moderator.fill("#id_username", "kiemduyet")
    moderator.fill("#id_password", "toasoan-demo")
    moderator.get_by_role("button").filter(has_text=re.compile("Đăng nhập")).click()
    moderator.wait_for_load_state("networkidle")
    queue = "/admin/snippets/comments/comment/?" + urlencode(
        {"status": "pending", "article": story_id, "co_chu": str(stamp)}
    )
    moderator.goto(demo_site + queue)
    moderator.wait_for_load_state("networkidle")
    expect(moderator.get_by_text("Phím tắt:")).to_be_visible()
    expect(moderator.get_by_text("là lời đáp công khai của tòa soạn")).to_be_visible()
    rows = moderator.locator("tr[data-comment-row]")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(second)  # newest first
    next_id = rows.nth(1).get_attribute("id")

    moderator.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile("is-current"))
    screenshot(moderator, "moderation-queue-desktop")
    with moderator.expect_navigation():
        moderator.keyboard.press("a")
    moderator.wait_for_load_state("networkidle")
    assert moderator.url == f"{demo_site}{queue}#{next_id}"  # same filter, at the next row
    expect(moderator.get_by_text("Đã duyệt bình luận của “Bạn đọc 2”.")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(first)
    expect(rows.first).to_have_class(re.compile("is-current"))
    expect(rows.first).to_be_focused()
    screenshot(moderator, "moderation-queue-after-approve-desktop")

    with moderator.expect_navigation():
        moderator.keyboard.press("r")
    moderator.wait_for_load_state("networkidle")
    expect(moderator.get_by_text("Đã từ chối bình luận của “Bạn đọc 1”")).to_be_visible()
    expect(rows).to_have_count(0)
    screenshot(moderator, "moderation-queue-after-reject-desktop")
    with moderator.expect_navigation():
        moderator.keyboard.press("u")  # undo: back to "Chờ duyệt", and selected again
    moderator.wait_for_load_state("networkidle")
    expect(
        moderator.get_by_text("Đã đưa bình luận của “Bạn đọc 1” về “Chờ duyệt”.")
    ).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_class(re.compile("is-current"))

    with moderator.expect_navigation():
        moderator.keyboard.press("r")
    moderator.goto(demo_site + queue.replace("pending", "rejected"))
    moderator.wait_for_load_state("networkidle")
    rejected = moderator.locator("tr[data-comment-row]", has_text=first)
    screenshot(moderator, "moderation-queue-rejected-desktop")
    with moderator.expect_navigation():
        rejected.get_by_role("button", name=re.compile("Khôi phục")).click()
    moderator.wait_for_load_state("networkidle")
    expect(moderator.locator("tr[data-comment-row]", has_text=first)).to_have_count(0)
    moderator.goto(demo_site + queue)
    restored = moderator.locator("tr[data-comment-row]", has_text=first)
    expect(restored).to_have_count(1)
    restored.hover()
    restored.get_by_role("button", name=re.compile("Tùy chọn khác")).click()  # the ⋯ menu
    expect(moderator.get_by_role("link", name="Trả lời")).to_be_visible()
    assert script_errors == []  # a filter named "contains" once broke the page's scripts

    reader.reload()
    reader.wait_for_load_state("networkidle")
    expect(reader.locator(".comment", has_text=second)).to_have_count(1)
    expect(reader.locator(".comment", has_text=first)).to_have_count(0)
