"""Set up and enter TOTP two-factor codes (django-otp devices)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import twofactor


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Mã 6 số trong ứng dụng xác thực",
        min_length=6,
        max_length=9,  # "123 456" as some apps show it
        error_messages={
            "required": "Hãy nhập mã 6 số đang hiện trong ứng dụng xác thực.",
            "min_length": "Mã gồm 6 chữ số.",
            "max_length": "Mã gồm 6 chữ số.",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or "/admin/"
    allowed = url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())
    return url if allowed else "/admin/"


def _signed_in(request, device):
    otp_login(request, device)
    return redirect(_next_url(request))


@login_required(login_url="/admin/login/")
@require_http_methods(["GET", "POST"])
def setup(request):
    """First sign-in: scan the QR code (or type the key), then prove it works with one code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:verify")
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        checked, error = twofactor.check_code([device], form.cleaned_data["code"])
        if checked is not None:
            twofactor.confirm(checked)
            return _signed_in(request, checked)
        form.add_error("code", error)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "setup": True,
            "qr_src": twofactor.qr_data_uri(device.config_url),
            "secret": twofactor.secret_for_typing(device),
            "next": _next_url(request),
        },
    )


@login_required(login_url="/admin/login/")
@require_http_methods(["GET", "POST"])
def verify(request):
    """Every sign-in of staff who use two-factor: one code from their app."""
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect("accounts:setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, error = twofactor.check_code(devices, form.cleaned_data["code"])
        if device is not None:
            return _signed_in(request, device)
        form.add_error("code", error)
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "next": _next_url(request)},
    )
