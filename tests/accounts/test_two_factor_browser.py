"""The administrator sets up two-factor sign-in as a person would: the QR code on the screen
is read back from a screenshot, the code typed in; the next sign-in asks for a fresh code."""

import base64
import io
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from django_otp.oath import TOTP
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import forget_two_factor

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ADMIN = ("quantri", "Quản trị hệ thống")  # the demo's administrator (a superuser)


def watch(page, base: str) -> dict:
    """Everything the page asks of other hosts, every failed response, every console error."""
    seen = {"elsewhere": [], "failed": [], "errors": []}
    page.on(
        "request",
        lambda r: (
            seen["elsewhere"].append(r.url)
            if r.url.startswith(("http:", "https:", "ws:", "wss:")) and not r.url.startswith(base)
            else None
        ),
    )
    page.on(
        "response",
        lambda r: seen["failed"].append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    return seen


def sign_in(page, base: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", ADMIN[0])
    page.fill("#id_password", "toasoan-demo")
    page.get_by_role("button").filter(has_text=re.compile("Đăng nhập")).click()
    page.wait_for_load_state("networkidle")


def the_code_form_once(page) -> None:
    assert page.locator("form[data-code-form]").count() == 1
    assert page.locator("input[name=code]").count() == 1
    assert page.get_by_role("heading", name="Xác thực hai lớp").count() == 1


def no_blank_images(page) -> None:
    blank = page.evaluate(
        "[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)"
    )
    assert blank == []


def read_qr(png: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(found) == 1, "exactly one readable QR code on the screen"
    return found[0].text


def totp_for(uri: str, at: float) -> tuple[str, int]:
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = at
    return f"{totp.token():06d}", totp.t()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_administrator_sets_up_two_factor_from_the_qr_code(browser, demo_site):
    forget_two_factor(demo_site.env, ADMIN[0])  # the administrator's walk may have set it up
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = watch(page, demo_site)

    sign_in(page, demo_site)
    assert urlsplit(page.url).path == "/admin/2fa/setup/"
    the_code_form_once(page)
    no_blank_images(page)
    qr = page.locator("img[data-setup-qr]")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 200 and box["height"] >= 200  # big enough for a phone's camera
    shot(page, "2fa-setup")

    uri = read_qr(qr.screenshot())
    assert uri.startswith("otpauth://totp/") and "quantri" in uri
    typed_secret = page.locator("[data-setup-secret]").inner_text().replace(" ", "")
    assert parse_qs(urlsplit(uri).query)["secret"][0] == typed_secret

    code, step = totp_for(uri, time.time())
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/admin/"
    expect(page.get_by_role("heading", name="Báo Quảng Nam", level=1)).to_be_visible()
    no_blank_images(page)
    avatar = page.locator("main .avatar img").first
    assert avatar.get_attribute("src").startswith("/admin/anh-dai-dien/")
    shot(page, "2fa-dashboard")
    avatar.screenshot(path=str(ARTIFACTS / "avatar-initials.png"))
    page.goto(demo_site + "/admin/account/")  # where the avatar is changed
    page.wait_for_load_state("networkidle")
    no_blank_images(page)
    shot(page, "account-avatar")

    # Sign out, and in again: the verify page asks for the next code (a code works once).
    page.get_by_role("button", name=ADMIN[1]).click()
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state("networkidle")
    sign_in(page, demo_site)
    assert urlsplit(page.url).path == "/admin/2fa/verify/"
    the_code_form_once(page)
    no_blank_images(page)
    shot(page, "2fa-verify")
    while totp_for(uri, time.time())[1] == step:
        time.sleep(1)
    page.fill("input[name=code]", totp_for(uri, time.time())[0])
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/admin/"
    expect(page.get_by_role("heading", name="Báo Quảng Nam", level=1)).to_be_visible()
    no_blank_images(page)

    assert seen["elsewhere"] == []
    assert seen["failed"] == []
    assert seen["errors"] == []
    context.close()
