"""Staff sign-in: lockout after repeated failures, TOTP two-factor, strong passwords."""

import base64
import io
import re
from datetime import timedelta

import pytest
import time_machine
import zxingcpp
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu"  # UserFactory's


def log_in(client, username, password):
    return client.post("/admin/login/", {"username": username, "password": password}, follow=True)


def test_lockout_after_repeated_failures_with_a_clear_message(settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="phongvien", is_superuser=False).groups.add(
        Group.objects.get_or_create(name="Phóng viên")[0]
    )
    client = Client()
    for _ in range(3):
        log_in(client, "phongvien", "sai-mat-khau")
    locked = log_in(client, "phongvien", PASSWORD)  # even the right password now
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_superuser_must_set_up_and_enter_a_totp_code(home):
    admin = UserFactory(username="quantri", is_superuser=True)
    client = Client()
    response = log_in(client, "quantri", PASSWORD)
    assert response.redirect_chain[-1][0].startswith("/admin/2fa/setup/")
    html = response.content.decode()
    # The QR code is a PNG now (the inline SVG drew nothing): test_the_setup_qr_code_reads_back…
    assert 'src="data:image/png;base64,' in html and "Xác thực hai lớp" in html
    device = TOTPDevice.objects.get(user=admin)
    assert client.get("/admin/pages/").status_code == 302  # not before the code
    wrong = client.post("/admin/2fa/setup/", {"code": "000000", "next": "/admin/pages/"})
    assert "Mã không đúng" in wrong.content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # after the throttle
        right = client.post(
            "/admin/2fa/setup/",
            {"code": f"{totp(device.bin_key):06d}", "next": "/admin/pages/"},
        )
        assert right.status_code == 302 and right["Location"] == "/admin/pages/"
        assert client.get("/admin/pages/").status_code == 200
    # Next sign-in asks for a code, not a new set-up.
    other = Client()
    again = log_in(other, "quantri", PASSWORD)
    assert again.redirect_chain[-1][0].startswith("/admin/2fa/verify/")


def test_two_factor_can_be_required_for_a_group(settings):
    chiefs, _ = Group.objects.get_or_create(name="Tổng biên tập")
    chief = UserFactory(username="tongbientap")
    chief.groups.add(chiefs)
    access = Permission.objects.get(codename="access_admin")
    chiefs.permissions.add(access)
    client = Client()
    client.force_login(chief)
    assert client.get("/admin/").status_code == 200
    chiefs.permissions.add(Permission.objects.get(codename="require_two_factor"))
    client.force_login(chief)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/2fa/setup/")


def test_2fa_next_url_cannot_point_elsewhere(settings):
    admin = UserFactory(username="quantri", is_superuser=True)
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/2fa/verify/",
        {"code": f"{totp(device.bin_key):06d}", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/admin/"


@pytest.mark.parametrize("weak", ["12345678", "toasoan", "matkhau", "baoquangnam", "123456789012"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)
    validate_password("Đêm rằm phố Hội 2026!")


def test_sessions_end(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


def test_lockout_page_says_how_many_minutes(settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    UserFactory(username="phongvien")
    client = Client()
    for _ in range(2):
        log_in(client, "phongvien", "sai-mat-khau")
    html = log_in(client, "phongvien", PASSWORD).content.decode()
    assert "trong 15 phút" in html and "PT15M" not in html


def test_the_code_page_loads_its_icons_and_refuses_scripts_plainly(home):
    admin = UserFactory(username="quantri", is_superuser=True)
    client = Client()
    client.force_login(admin)
    # The admin's script pastes the icon sprite into the page: it must be the sprite.
    sprite = client.get("/admin/sprite/", HTTP_SEC_FETCH_MODE="cors")
    assert sprite.status_code == 200 and b"<svg" in sprite.content
    assert "Xác thực hai lớp" not in sprite.content.decode()
    fetched = client.get("/admin/pages/", HTTP_SEC_FETCH_MODE="cors")
    assert fetched.status_code == 403 and fetched["Content-Type"].startswith("text/plain")
    assert "xác thực hai lớp" in fetched.content.decode()
    opened = client.get("/admin/pages/", HTTP_SEC_FETCH_MODE="navigate")
    assert opened.status_code == 302 and opened["Location"].startswith("/admin/2fa/setup/")
    page = client.get(opened["Location"]).content.decode()
    assert page.count('name="code"') == 1 and page.count("data-setup-qr") == 1


def test_the_setup_qr_code_reads_back_as_the_new_device(home):
    admin = UserFactory(username="quantri", is_superuser=True)
    client = Client()
    client.force_login(admin)
    html = client.get("/admin/2fa/setup/").content.decode()
    png = re.search(r'<img src="data:image/png;base64,([^"]+)"[^>]*data-setup-qr', html)
    qr = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(png.group(1)))))
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert [found.text for found in qr] == [device.config_url]
    typed = re.search(r"data-setup-secret[^>]*>([A-Z2-7 ]+)<", html).group(1)
    secret = typed.replace(" ", "")
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    assert client.get("/admin/2fa/setup/").content.decode().count("data-setup-qr") == 1
    assert TOTPDevice.objects.filter(user=admin).count() == 1  # the same device, not another


def test_a_right_code_too_soon_after_a_wrong_one_is_told_to_wait(home):
    admin = UserFactory(username="quantri", is_superuser=True)
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    client = Client()
    client.force_login(admin)
    client.post("/admin/2fa/verify/", {"code": "000000"})
    soon = client.post("/admin/2fa/verify/", {"code": f"{totp(device.bin_key):06d}"})
    html = soon.content.decode()
    assert soon.status_code == 200 and "Chờ" in html and "giây" in html
    assert '<html lang="vi"' in html
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        later = client.post("/admin/2fa/verify/", {"code": f"{totp(device.bin_key):06d}"})
        assert later.status_code == 302 and later["Location"] == "/admin/"


def test_a_code_sent_from_a_stale_page_is_refused_in_vietnamese(home):
    admin = UserFactory(username="quantri", is_superuser=True)
    device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    stale = client.post("/admin/2fa/verify/", {"code": f"{totp(device.bin_key):06d}"})
    html = stale.content.decode()
    assert stale.status_code == 403 and stale["Content-Type"].startswith("text/html")
    assert '<html lang="vi">' in html and "tải lại trang" in html and "đăng nhập lại" in html
    assert "CSRF" not in html
    assert not client.session.get("otp_device_id")


def test_the_sign_in_page_speaks_vietnamese_and_names_the_newsroom(client):
    page = client.get("/admin/login/").content.decode()
    assert re.search(r"<h1>\s*Đăng nhập Toà Soạn\s*</h1>", page)  # not "… vào Wagtail"
    labels = dict(re.findall(r'<label[^>]*for="id_(username|password)"[^>]*>\s*([^<]+?)\s*<', page))
    assert labels == {"username": "Tên đăng nhập", "password": "Mật khẩu"}
