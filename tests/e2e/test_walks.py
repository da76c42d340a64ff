"""Each role's working day, walked in the browser and looked at as a person does (issue #16).

One walk per role, with the demo accounts: the reader on a phone and a desktop, contributor,
reporter, section editor, managing editor, editor-in-chief, moderator, accountant and the
administrator (two-factor set-up from the QR code on the screen). Every screen is kept as a
screenshot in test-artifacts/ (walk-<role>-<n>-<screen>.png) and looked at by `Person`
(person.py): console errors, failed or 4xx/5xx requests, requests to another host, images not
shown, elements rendered twice, English on a Vietnamese screen and axe-core's violations.
A walk first does its task (its assertions say the task got done), then fails with every
problem it saw on the way.

`docs/make_guide_screenshots.py` runs these walks with GUIDE_SCREENSHOTS set to a folder:
the screens the editors' guide shows are then also saved there, as the guide's JPEGs.
"""

import io
import json
import os
import re
import time
from base64 import b32decode
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import zxingcpp
from django_otp.oath import totp
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import expect

from toasoan.demo.photos import landscape_jpeg

from .conftest import forget_two_factor, manage_demo
from .person import Person

pytestmark = pytest.mark.e2e

PASSWORD = "toasoan-demo"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 860}  # the guide's screenshots: the editors' laptops
SEED_TITLE = "Hoạt động thông tin đối ngoại có vai trò quan trọng thúc đẩy phát triển kinh tế"


@pytest.fixture(scope="module")
def morning(demo_site, demo_env) -> dict:
    """Stories waiting at each desk and comments in the queue (tests/e2e/morning.py)."""
    out = manage_demo(demo_env, "shell", "-c", "from tests.e2e.morning import main; main()")
    return json.loads(out.rsplit("MORNING ", 1)[1])


@pytest.fixture
def walk(browser, demo_site, morning):
    """Open a browser window as someone: `walk(role, viewport)` → a `Person` at the paper.

    Staff see the English edition's titles in their lists; readers of the Vietnamese
    edition must not, so only staff walks are allowed them."""
    contexts = []

    def _open(role: str, viewport: dict = DESKTOP) -> Person:
        context = browser.new_context(viewport=viewport, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(60_000)  # a loaded CI machine: slow, not broken
        staff = () if role.startswith("reader") else tuple(morning["english_titles"])
        person = Person(page, demo_site, allowed_english=staff)
        person.role = role
        person.step = 0
        return person

    yield _open
    for context in contexts:
        context.close()


def look(person: Person, screen: str, *, guide: str = "", **options) -> None:
    """The screen as the person sees it: numbered screenshot, checks; a guide picture if asked."""
    person.step += 1
    folder = os.environ.get("GUIDE_SCREENSHOTS")
    if guide and folder:  # first: the checks scroll images into view
        person.page.wait_for_timeout(400)  # menus and dialogs finish opening
        image = Image.open(io.BytesIO(person.page.screenshot())).convert("RGB")
        image.thumbnail((1100, 1400))
        image.save(Path(folder) / f"{guide}.jpg", quality=80, optimize=True)
    person.look(f"walk-{person.role}-{person.step:02d}-{screen}", **options)


def sign_in(person: Person, username: str, *, guide: str = "") -> None:
    person.visit("/admin/login/")
    if guide:
        look(person, "dang-nhap", guide=guide)
    page = person.page
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")


# Wagtail's autosave has the form's changes (none noticed, or the last one saved). On a busy
# machine it may notice a "change" on a form nobody touched (its first look at the form,
# 2 s after it opens, came before a widget wrote its value): sending the form before that
# autosave answers makes the autosave's answer a 400 (out of date).
_AUTOSAVE_SETTLED = """() => {
  const form = document.querySelector('form[data-controller~="w-autosave"]');
  const indicator = document.querySelector('#w-autosave-indicator');
  const state = indicator ? indicator.getAttribute('data-w-autosave-state-value') : '';
  if (!form || state === 'paused') return true;  // paused: no autosave on its way
  return form.getAttribute('data-w-unsaved-has-edits-value') !== 'true' && state !== 'saving';
}"""


def settle_autosave(page) -> None:
    """Wait (as a person glancing at "Đã lưu") until the edit form's autosave is done."""
    page.wait_for_function(_AUTOSAVE_SETTLED, timeout=30_000)


def footer_action(page, name: str, *, navigates: bool = True) -> None:
    """Wagtail's save bar: open the menu beside the main button, then choose."""
    settle_autosave(page)
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    button = page.locator("footer").get_by_role("button", name=name, exact=True)
    if navigates:
        submit(page, button)
    else:
        button.click()


def submit(page, button) -> None:
    """Click a button that sends a form, and wait for the next page to be there.

    First a person's pause: Wagtail autosaves an edit form 0.5 s after its last change, and
    a click faster than that races the autosave (which then answers 400: out of date).
    """
    page.wait_for_timeout(800)
    page.wait_for_load_state("networkidle")
    settle_autosave(page)
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state("networkidle")


def edit_story(person: Person, page_id: int) -> None:
    person.visit(f"/admin/pages/{page_id}/edit/")


# --- readers ------------------------------------------------------------------------------
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_reader_reads_searches_and_follows_the_paper(walk, device):
    reader = walk(f"reader-{device}", PHONE if device == "phone" else DESKTOP)
    page = reader.page
    reader.visit("/")
    expect(page.get_by_role("heading", name="Nổi bật")).to_be_visible()
    look(reader, "trang-chu")

    if device == "phone":  # the masthead's menu button opens the sections
        page.get_by_role("button", name="Chuyên mục").click()
    page.locator("nav.menu").get_by_role("link", name="Thời sự", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thời sự")
    look(reader, "chuyen-muc")

    reader.visit("/")
    page.get_by_role("link", name=SEED_TITLE).first.click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    expect(page.locator(".story__byline")).to_be_visible()
    look(reader, "bai-viet")

    if device == "phone":  # the magnifier in the masthead opens the search box
        page.locator(".masthead").get_by_role("button", name="Tìm kiếm").click()
    box = page.get_by_role("search").first.get_by_role("combobox")  # it suggests as you type
    box.fill("đối ngoại")
    box.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("link", name=SEED_TITLE).first).to_be_visible()
    look(reader, "tim-kiem")

    reader.visit("/chuyen-muc-khong-co/", status=404)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    look(reader, "khong-tim-thay")

    reader.visit("/rss/")
    expect(page.get_by_role("link", name=re.compile("Thời sự")).first).to_be_visible()
    look(reader, "rss")
    reader.assert_all_fine()


# --- the newsroom -------------------------------------------------------------------------
def test_contributor_sends_a_story_from_the_field(walk, demo_site):
    ctv = walk("cong-tac-vien")
    sign_in(ctv, "ctv")
    look(ctv, "bang-dieu-khien")
    page = ctv.page
    title = "Lễ hội cầu ngư ở Tam Thanh"
    new_story(ctv, "Văn hóa – Du lịch", title, "Người dân làng chài Tam Thanh mở hội cầu ngư.")
    expect_signed(page, "LÊ TRÂM")
    look(ctv, "viet-bai")
    footer_action(page, "Gửi duyệt theo Quy trình Văn hóa – Du lịch")
    expect_sent(page, title)
    look(ctv, "da-gui-duyet")
    ctv.visit("/admin/")
    expect(page.locator("main")).to_contain_text(title)  # "my stories in review"
    look(ctv, "bai-cua-toi")
    ctv.assert_all_fine()


def expect_sent(page, title: str) -> None:
    """Wagtail says "created and sent", or "sent" when autosave had already made the page."""
    said = page.get_by_role("status").first
    expect(said).to_contain_text(title)
    expect(said).to_contain_text("gửi duyệt")


def new_story(person: Person, section: str, title: str, sapo: str) -> None:
    """From the page explorer: the section's children, "Thêm trang con", a story."""
    page = person.page
    person.visit("/admin/pages/")
    page.get_by_role("link", name=f"Xem các trang con của '{section}'").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Thêm trang con").click()
    page.wait_for_load_state("networkidle")
    if "add_subpage" in page.url:  # asked which kind of page: a story
        page.get_by_role("link", name=re.compile("^Bài viết", re.I)).first.click()
        page.wait_for_load_state("networkidle")
    page.fill("#id_title", title)
    page.fill("#id_lead_prefix", "(QNO)")
    page.fill("#id_sapo", sapo)


def expect_signed(page, pen_name: str) -> None:
    """A new story is signed with the writer's own pen name from the start."""
    expect(page.locator("#id_bylines-0-pen_name-chooser")).to_contain_text(pen_name)
    expect(page.locator("#id_bylines-0-pen_name")).not_to_have_value("")


def test_reporter_writes_a_story_with_a_photo_and_sends_it(walk, demo_site, morning, tmp_path):
    reporter = walk("phong-vien")
    sign_in(reporter, "phongvien", guide="01-dang-nhap")
    page = reporter.page
    returned = page.locator("#returned-to-me-section")
    expect(returned).to_contain_text("Bổ sung ý kiến của ngư dân.")  # yesterday's story
    look(reporter, "bang-dieu-khien", guide="02-bang-dieu-khien-phong-vien")

    title = "Đê biển Tam Thanh được gia cố trước mùa mưa bão"
    new_story(
        reporter,
        "Thời sự",
        title,
        "Sáng nay, huyện Núi Thành hoàn thành gia cố 800 m đê biển Tam Thanh.",
    )
    expect_signed(page, "V.A")
    body = page.locator("[data-contentpath='body']")
    body.get_by_role("button", name="Chèn khối").last.click()
    page.get_by_role("option", name="Đoạn văn").filter(visible=True).click()
    body.locator("[contenteditable=true]").first.fill(
        "Công trình dùng 12 tỷ đồng vốn phòng chống thiên tai của tỉnh."
    )
    body.get_by_role("button", name="Chèn khối").last.click()
    page.get_by_role("option", name="Ảnh", exact=True).filter(visible=True).click()
    body.get_by_role("button", name="Chọn ảnh").click()
    modal = page.locator(".modal-content")
    modal.get_by_role("tab", name="Tải lên").click()
    photo = tmp_path / "de-bien-tam-thanh.jpg"  # a new picture: no "already uploaded" step
    photo.write_bytes(landscape_jpeg(f"de-bien-{time.time()}"))
    modal.locator("input[type=file]").set_input_files(str(photo))
    modal.get_by_label("Chú thích").fill("Đoạn đê vừa gia cố ở thôn Hòa Bình.")
    modal.get_by_label("Tác giả ảnh").fill("V.A")
    modal.get_by_label("Tiêu đề").fill("Đê biển Tam Thanh")
    look(reporter, "tai-anh-len")
    modal.get_by_role("button", name="Tải lên").click()
    expect(body.get_by_text("Đê biển Tam Thanh")).to_be_visible()  # the chosen photo
    page.locator("#id_title").scroll_into_view_if_needed()  # back to the top, to send it
    page.evaluate("for (const el of document.querySelectorAll('*')) el.scrollLeft = 0")
    expect(page.get_by_text("Đang lưu…")).to_be_hidden()  # the autosave has landed
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    look(reporter, "gui-duyet", guide="03-viet-bai-va-gui-duyet")
    submit(
        page,
        page.locator("footer").get_by_role(
            "button", name="Gửi duyệt theo Quy trình Thời sự", exact=True
        ),
    )
    expect_sent(page, title)
    look(reporter, "da-gui-duyet")

    reporter.visit("/admin/")
    expect(page.locator("main")).to_contain_text(title)
    look(reporter, "dang-cho-duyet")
    reporter.assert_all_fine()


def test_section_editor_returns_one_story_and_forwards_another(walk, morning):
    editor = walk("bien-tap-vien")
    sign_in(editor, "bientap")
    page = editor.page
    waiting = page.locator("main")
    expect(waiting).to_contain_text("Chợ Hội An chuyển sang thanh toán không tiền mặt")
    expect(waiting).to_contain_text("Tam Kỳ mở thêm ba tuyến xe buýt nội thành")
    look(editor, "cho-ban-duyet", guide="04-cho-ban-duyet")

    edit_story(editor, morning["to_return"])
    footer_action(page, "Yêu cầu sửa", navigates=False)
    dialog = page.locator(".modal-content")
    dialog.locator("textarea").fill("Bổ sung ý kiến tiểu thương về phí giao dịch.")
    look(editor, "tra-lai-kem-ghi-chu", guide="05-tra-lai-kem-ghi-chu")
    submit(page, dialog.get_by_role("button", name="Yêu cầu sửa"))
    look(editor, "da-tra-lai")

    edit_story(editor, morning["to_forward"])
    look(editor, "doc-bai")
    footer_action(page, "Duyệt")
    look(editor, "da-duyet")
    editor.visit(f"/admin/pages/{morning['to_forward']}/edit/")
    expect(page.locator("body")).to_contain_text("Thư ký tòa soạn duyệt")  # the next desk
    editor.assert_all_fine()


def test_managing_editor_forwards_a_story_and_places_one_in_featured(walk, demo_site, morning):
    managing = walk("thu-ky-toa-soan")
    sign_in(managing, "thuky")
    page = managing.page
    expect(page.locator("main")).to_contain_text("Điện Bàn khởi công cầu Vĩnh Điện mới")
    look(managing, "cho-ban-duyet")
    edit_story(managing, morning["at_managing"])
    footer_action(page, "Duyệt")
    look(managing, "da-duyet")

    # "Nổi bật": the road story goes to the top of the home page.
    managing.visit(f"/admin/pages/{morning['home']}/edit/")
    featured = "Tuyến đường ĐT 608 qua Điện Bàn"
    page.get_by_role("button", name="Thêm Nổi bật").first.click()
    page.get_by_role("button", name="Chọn trang (Bài viết)").last.click()
    chooser = page.locator(".modal-content")
    chooser.get_by_role("textbox").first.fill("ĐT 608")
    chooser.get_by_role("link", name=re.compile(featured)).first.click()
    look(managing, "noi-bat")
    save_bar = page.locator("footer")
    assert save_bar.locator("[data-w-dropdown-target='toggle']").count(), (
        "the managing editor cannot put 'Nổi bật' live: the home page's save bar offers only "
        + repr(" / ".join(save_bar.inner_text().split()))
    )
    footer_action(page, "Xuất bản")
    look(managing, "da-xuat-ban-trang-chu")
    managing.visit("/")
    expect(page.locator(".featured")).to_contain_text(featured)
    managing.assert_all_fine()


def test_editor_in_chief_publishes_and_checks_the_record(walk, demo_site, morning):
    chief = walk("tong-bien-tap")
    sign_in(chief, "tongbientap")
    page = chief.page
    title = "Quảng Nam đón 1 triệu lượt khách trong quý I"
    expect(page.locator("main")).to_contain_text(title)
    look(chief, "cho-ban-duyet")

    edit_story(chief, morning["at_chief"])
    page.get_by_role("button", name="Mở/đóng trạng thái").click()
    page.get_by_role("button", name="Đặt lịch").click()
    look(chief, "dat-lich", guide="06-dat-lich-xuat-ban")
    page.keyboard.press("Escape")  # published now, not at a set time
    footer_action(page, "Duyệt và xuất bản")
    look(chief, "da-xuat-ban")
    chief.visit(f"/thoi-su/x-{morning['at_chief']}.html")  # redirected to its address
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    look(chief, "bai-tren-trang")

    chief.visit(f"/admin/pages/{morning['at_chief']}/history/")
    expect(page.locator("main")).to_contain_text("Tổng biên tập duyệt")
    look(chief, "lich-su", guide="08-lich-su-phien-ban")
    chief.visit("/admin/reports/site-history/")
    expect(page.locator("main")).to_contain_text(title)
    look(chief, "nhat-ky", guide="09-nhat-ky-hoat-dong")
    chief.visit(f"/admin/pages/{morning['at_chief']}/unpublish/")
    page.fill("#id_unpublish_reason", "Thông tin chưa được kiểm chứng.")
    look(chief, "go-bai", guide="07-go-bai-kem-ly-do")  # seen, not done: the story stays
    chief.assert_all_fine()


# --- readers' desk, accounts, administration --------------------------------------------
def test_moderator_clears_the_comment_queue(walk, morning):
    moderator = walk("kiem-duyet")
    sign_in(moderator, "kiemduyet")
    page = moderator.page
    look(moderator, "bang-dieu-khien")
    page.get_by_role("link", name=re.compile(r"\d+ bình luận chờ duyệt")).click()
    page.wait_for_load_state("networkidle")
    look(moderator, "hang-cho")
    for text, action, slug, said in (
        ("Mong tỉnh sớm mở rộng", "Duyệt", "duyet", "Đã duyệt: 1 bình luận."),
        ("Mua hàng giá rẻ", "Từ chối", "tu-choi", "Đã từ chối: 1 bình luận."),
    ):
        row = page.locator("tr", has_text=text).first
        row.locator("input[type=checkbox]").check()
        page.locator("[data-bulk-action-footer]").get_by_text(action, exact=True).click()
        page.wait_for_load_state("networkidle")
        look(moderator, f"xac-nhan-{slug}")
        page.get_by_role("button", name="Có, thực hiện").click()
        page.wait_for_load_state("networkidle")
        expect(page.get_by_text(said)).to_be_visible()
    look(moderator, "hang-cho-da-xu-ly")
    moderator.assert_all_fine()


def test_accountant_opens_the_ledger_and_downloads_the_payment_list(walk):
    accountant = walk("ke-toan")
    sign_in(accountant, "ketoan")
    page = accountant.page
    look(accountant, "bang-dieu-khien")
    page.get_by_role("button", name="Nhuận bút").click()  # the sidebar's menu
    page.get_by_role("link", name="Sổ nhuận bút").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Sổ nhuận bút")).to_be_visible()
    look(accountant, "so-nhuan-but")
    page.locator("tbody a").nth(1).click()  # last month, approved and locked
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_contain_text("Đã duyệt và khoá sổ")
    look(accountant, "thang-truoc")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bảng thanh toán (.xlsx)").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book["Bảng thanh toán"]["A2"].value.startswith("BẢNG THANH TOÁN NHUẬN BÚT THÁNG")
    accountant.assert_all_fine()


def test_administrator_sets_up_two_factor_from_the_qr_and_adds_a_reporter(walk, demo_site):
    forget_two_factor(demo_site.env, "quantri")  # tests/accounts' 2FA test may have set it up
    admin = walk("quan-tri")
    sign_in(admin, "quantri")
    page = admin.page
    assert "/admin/2fa/setup/" in page.url
    look(admin, "cai-dat-xac-thuc-hai-lop")
    # The phone's authenticator app reads the QR code from the screen: so does zxing.
    qr = page.locator("img[alt*='QR'], [aria-label*='QR']").first
    image = Image.open(io.BytesIO(qr.screenshot()))
    found = zxingcpp.read_barcodes(image)
    assert found, "the QR code on the set-up screen cannot be read by a phone"
    otpauth = urlsplit(found[0].text)
    assert otpauth.scheme == "otpauth" and "quantri" in unquote(otpauth.path)
    secret = parse_qs(otpauth.query)["secret"][0]
    key = b32decode(secret + "=" * (-len(secret) % 8))  # what the app keeps from the QR
    page.fill("#id_code", f"{totp(key):06d}")
    submit(page, page.get_by_role("button", name="Xác nhận").first)
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/admin/"
    look(admin, "bang-dieu-khien")

    admin.visit("/admin/users/")
    look(admin, "nguoi-dung")
    page.get_by_role("link", name="Thêm người dùng").first.click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_username", "phongvien3")
    page.fill("#id_email", "phongvien3@toasoan.local")
    page.fill("#id_last_name", "Đặng")
    page.fill("#id_first_name", "Thị Hoa")
    page.fill("#id_password1", "Hoa-phong-vien-2026")
    page.fill("#id_password2", "Hoa-phong-vien-2026")
    page.get_by_role("tab", name=re.compile("Vai trò|Nhóm|Quyền")).first.click()
    page.get_by_label("Phóng viên", exact=True).check()
    look(admin, "them-nguoi-dung")
    submit(page, page.locator("footer").get_by_role("button", name="Tạo"))
    expect(page.locator("main")).to_contain_text("phongvien3")
    look(admin, "da-them")
    admin.assert_all_fine()
