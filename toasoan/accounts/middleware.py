"""Staff who must use two-factor sign-in reach the admin only after entering a TOTP code."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from .models import must_use_two_factor

# Open before the code: signing in and out, the code pages themselves, and what those pages
# load. The icon sprite is fetched by the admin's script and pasted at the top of the page:
# redirected, it pasted a second copy of the code form there.
OPEN_PATHS = (
    "/admin/login/",
    "/admin/logout/",
    "/admin/jsi18n/",
    "/admin/sprite/",
    "/admin/2fa/",
)
NEEDS_CODE = "Cần nhập mã xác thực hai lớp trước."
PLAIN_TEXT = "text/plain; charset=utf-8"


def is_page_request(request) -> bool:
    """A page the browser is opening, not a script's fetch or an image's load. Browsers say
    which (Sec-Fetch-Mode); a client that does not say is taken to open a page."""
    return request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"


def require_two_factor(get_response):
    def middleware(request):
        path = request.path
        if (
            path.startswith("/admin/")
            and not path.startswith(OPEN_PATHS)
            and must_use_two_factor(request.user)
            and not request.user.is_verified()
        ):
            if not is_page_request(request):
                # Never an HTML page in answer to a script: it would be shown inside the page.
                return HttpResponse(NEEDS_CODE, status=403, content_type=PLAIN_TEXT)
            step = "accounts:verify" if user_has_device(request.user) else "accounts:setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return get_response(request)

    return middleware
