"""Two readers on an open live blog while an editor works the desk: an approved entry, an
edit, a pinned entry and a deletion reach both within 15 s, without a reload and without
moving what they are reading."""

import json
import time

import pytest
from playwright.sync_api import expect

from .conftest import manage_demo, screenshot, sign_in

pytestmark = pytest.mark.e2e

WITHIN = 15_000  # ms: the promise
SETUP = """
import json
from django.contrib.auth import get_user_model
from django.utils import timezone
from toasoan.live import desk
from toasoan.live.models import LiveBlogPage
from toasoan.newsroom.models import SectionPage
users = get_user_model().objects
section = SectionPage.objects.get(slug="thoi-su")
blog = LiveBlogPage(title="Trực tiếp: Đêm rằm phố cổ Hội An", slug="dem-ram-pho-co-e2e-%(n)s",
                    summary="Đèn lồng, thả hoa đăng và pháo hoa trên sông Hoài.",
                    coverage_start=timezone.now())
section.add_child(instance=blog)
blog.save_revision().publish()
chief = users.get(username="tongbientap")
olds = [desk.write(blog, chief, text=f"Cập nhật cũ số {n}: phố cổ đông vui, người dân và du "
        "khách dạo quanh các tuyến phố Trần Phú, Nguyễn Thái Học, Bạch Đằng dưới ánh đèn lồng.")
        for n in range(12)]
pending = desk.write(blog, users.get(username="phongvien"), text="Pháo hoa bắt đầu trên sông Hoài.")
print(json.dumps({"url": blog.url, "id": blog.pk, "pending": pending.pk,
                  "old": [e.pk for e in olds]}))
"""


def top_of(page, selector: str) -> float:
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().top")


def test_two_readers_follow_the_desk(demo_site, open_page):
    made = json.loads(
        manage_demo(demo_site.env, "shell", "-c", SETUP % {"n": int(time.time())})
        .strip()
        .splitlines()[-1]
    )
    url, entry, old = made["url"], made["pending"], made["old"]
    anchor = f"#muc-{old[5]}"

    top_reader = open_page(url, width=1280, height=900)
    deep_reader = open_page(url, width=375, height=700)
    for reader in (top_reader, deep_reader):
        reader.evaluate("window.notReloaded = true")
        expect(reader.locator(f"#muc-{entry}")).to_have_count(0)  # waiting for an editor
    deep_reader.evaluate(f"document.querySelector({anchor!r}).scrollIntoView()")
    deep_y = deep_reader.evaluate("window.scrollY")
    deep_top = top_of(deep_reader, anchor)
    assert deep_y > 500

    editor = sign_in(open_page, "bientap")
    editor.goto(f"{demo_site}/admin/truc-tiep/{made['id']}/")
    editor.locator(f"#muc-{entry}").get_by_role("button", name="Duyệt và đăng").click()
    approved_at = time.monotonic()

    # The reader at the top sees it in place; the one further down gets the notice, and
    # nothing under their eyes moves.
    expect(top_reader.locator(f"#dong-su-kien #muc-{entry}")).to_contain_text(
        "Pháo hoa bắt đầu", timeout=WITHIN
    )
    expect(deep_reader.locator(".live-notice")).to_have_text("1 cập nhật mới", timeout=WITHIN)
    print(f"approved entry seen after {time.monotonic() - approved_at:.1f} s")
    assert time.monotonic() - approved_at <= WITHIN / 1000
    assert top_reader.evaluate("window.scrollY") == 0
    assert deep_reader.evaluate("window.scrollY") == deep_y
    assert abs(top_of(deep_reader, anchor) - deep_top) < 1
    screenshot(deep_reader, "live-blog-notice-phone")
    deep_reader.locator(".live-notice").click()
    expect(deep_reader.locator(f"#dong-su-kien #muc-{entry}")).to_be_visible()
    expect(deep_reader.locator(".live-notice")).to_be_hidden()

    def settle_deep_reader() -> float:
        deep_reader.evaluate(f"document.querySelector({anchor!r}).scrollIntoView()")
        return top_of(deep_reader, anchor)

    # An edit reaches both.
    deep_top = settle_deep_reader()
    editor.goto(f"{demo_site}/admin/truc-tiep/muc/{entry}/sua/")
    editor.fill("#id_text", "Pháo hoa rực sáng trên sông Hoài (đã cập nhật).")
    editor.get_by_role("button", name="Lưu").click()
    for reader in (top_reader, deep_reader):
        expect(reader.locator(f"#muc-{entry}")).to_contain_text("đã cập nhật", timeout=WITHIN)
    assert abs(top_of(deep_reader, anchor) - deep_top) < 1

    # The oldest entry pinned: first on both pages, shown once.
    editor.goto(f"{demo_site}/admin/truc-tiep/{made['id']}/")
    editor.locator(f"#muc-{old[0]}").get_by_role("button", name="Ghim lên đầu").click()
    for reader in (top_reader, deep_reader):
        expect(reader.locator(f"#ghim #muc-{old[0]}")).to_be_visible(timeout=WITHIN)
        first = reader.evaluate("document.querySelector('[data-entry]').dataset.entry")
        assert first == str(old[0])
        expect(reader.locator(f"#muc-{old[0]}")).to_have_count(1)
    assert abs(top_of(deep_reader, anchor) - deep_top) < 1

    # A deletion (asked first on the desk) takes it off both pages.
    editor.goto(f"{demo_site}/admin/truc-tiep/{made['id']}/")
    editor.locator(f"#muc-{entry}").get_by_role("link", name="Gỡ…").click()
    editor.get_by_role("button", name="Gỡ mục").click()
    for reader in (top_reader, deep_reader):
        expect(reader.locator(f"#muc-{entry}")).to_have_count(0, timeout=WITHIN)
    assert abs(top_of(deep_reader, anchor) - deep_top) < 1
    # The pinned entry is still first after the deletion.
    assert top_reader.evaluate("document.querySelector('[data-entry]').dataset.entry") == str(
        old[0]
    )
    for reader in (top_reader, deep_reader):
        assert reader.evaluate("window.notReloaded") is True
    screenshot(top_reader, "live-blog-desktop")
    screenshot(editor, "live-desk-staff")
