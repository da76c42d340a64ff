"""The language of a public page comes from its URL prefix and nothing else.

Django's LocaleMiddleware also reads the Accept-Language header and a cookie, and marks every
response `Vary: Accept-Language`; here the Vietnamese edition (no prefix) is Vietnamese
whatever the browser asks, `/en/…` is English, and caches need no Vary. Staff screens then
follow each user's own Wagtail language preference (Wagtail's admin activates it itself).
"""

from django.utils import translation

from .editions import code_for_path


def edition_language(get_response):
    def middleware(request):
        code = code_for_path(request.path_info)
        translation.activate(code)
        request.LANGUAGE_CODE = code
        return get_response(request)

    return middleware
