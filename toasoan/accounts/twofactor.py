"""TOTP two-factor: the set-up QR code, the secret for typing in, and checking a code.

The QR code is a PNG drawn here (qrcode + Pillow) and inlined as a data: URI, so the browser
asks no other host for it and draws it whatever it makes of inline SVG.
"""

import base64
import io

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Ứng dụng xác thực"
WRONG_CODE = (
    "Mã không đúng, đã hết hạn hoặc vừa dùng rồi. Hãy nhập mã mới nhất trong ứng dụng xác thực."
)


def qr_data_uri(text: str, box_size: int = 6) -> str:
    """`text` as a black-on-white QR code PNG, each module `box_size` pixels: about 300 px
    for an otpauth:// address, which a phone camera reads from a screen."""
    import qrcode  # not in every web worker (docs/architecture.md)

    image = qrcode.make(text, box_size=box_size, border=4)
    png = io.BytesIO()
    image.save(png)
    return "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()


def secret_for_typing(device: TOTPDevice) -> str:
    """The device's key in base32, in groups of four, as authenticator apps ask for it."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def pending_device(user) -> TOTPDevice:
    """The device being set up: the oldest unconfirmed one, created if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def check_code(devices, code: str) -> tuple[TOTPDevice | None, str]:
    """(the device the code belongs to, "") or (None, why not, in Vietnamese).

    After a wrong code django-otp refuses every code for 1, 2, 4… seconds; the staff member
    is told to wait rather than that a right code is wrong.
    """
    code = "".join(code.split())
    if not code.isdigit():
        return None, "Mã chỉ gồm chữ số (6 số trong ứng dụng xác thực)."
    wait = 0
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            until = (info or {}).get("locked_until")
            wait = max(wait, int((until - timezone.now()).total_seconds()) + 1 if until else 1)
            continue
        if device.verify_token(code):
            return device, ""
    if wait:
        return None, f"Bạn vừa nhập sai. Chờ {wait} giây rồi nhập mã mới nhất."
    return None, WRONG_CODE


def confirm(device: TOTPDevice) -> None:
    """The set-up is done: this device counts, any other half-set-up one is dropped."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
