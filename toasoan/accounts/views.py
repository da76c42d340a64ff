"""Set up and enter TOTP two-factor codes (django-otp devices)."""

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

DEVICE_NAME = "Ứng dụng xác thực"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Mã 6 số trong ứng dụng xác thực",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or "/admin/"
    allowed = url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())
    return url if allowed else "/admin/"


@login_required(login_url="/admin/login/")
@require_http_methods(["GET", "POST"])
def setup(request):
    """First sign-in: scan the QR code, then prove it works with one code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:verify")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", "Mã không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất.")
    svg = io.BytesIO()
    write_qrcode_image(device.config_url, svg)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "setup": True,
            "qr_svg": svg.getvalue().decode(),
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "next": _next_url(request),
        },
    )


@login_required(login_url="/admin/login/")
@require_http_methods(["GET", "POST"])
def verify(request):
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    if not devices.exists():
        return redirect("accounts:setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        device = next((d for d in devices if d.verify_token(code)), None)
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", "Mã không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất.")
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request)})
