"""Staff who must use two-factor sign-in reach the admin only after entering a TOTP code."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from .models import must_use_two_factor

OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/jsi18n/", "/admin/2fa/")


def require_two_factor(get_response):
    def middleware(request):
        path = request.path
        if (
            path.startswith("/admin/")
            and not path.startswith(OPEN_PATHS)
            and must_use_two_factor(request.user)
            and not request.user.is_verified()
        ):
            step = "accounts:verify" if user_has_device(request.user) else "accounts:setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware
