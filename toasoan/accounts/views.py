"""Staff sign-in screens (TOTP two-factor with django-otp devices), avatars and the guide."""

import mimetypes

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import avatars, guide, twofactor


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


def avatar(request, user_id: int):
    """A staff member's initials on their colour: every admin screen's avatar without
    asking another host (see avatars.py)."""
    user = get_object_or_404(get_user_model(), pk=user_id)
    response = HttpResponse(avatars.initials_svg(user), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'"  # an image, never a document
    return response


def editors_guide(request):
    return render(
        request,
        "accounts/guide.html",
        {"page_title": guide.TITLE, "guide_html": guide.guide_html()},
    )


def editors_guide_image(request, name: str):
    path = guide.image_path(name)
    if path is None:
        raise Http404("Không có ảnh này trong hướng dẫn.")
    response = FileResponse(path.open("rb"), content_type=mimetypes.guess_type(name)[0])
    response["Cache-Control"] = "private, max-age=86400"
    return response


def csrf_failure(request, reason: str = ""):
    """A form sent from a page too old (a session that ended, a tab left open): say so in
    Vietnamese. Django logs the reason (django.security.csrf) for whoever looks into it."""
    return render(request, "accounts/csrf_failure.html", status=403)
