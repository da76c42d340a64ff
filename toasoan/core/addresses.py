"""The paper's public address: the one source of every absolute link the site gives out.

Canonical links, Open Graph, JSON-LD, feeds, sitemaps, robots.txt, the content API and the
e-mails to staff all start with `public_root()`. Production (and `make run`) sets BASE_URL;
without it (development, tests) the address the request came to is used, so a page read at
http://127.0.0.1:8000 links to http://127.0.0.1:8000, as its sitemaps always did.
"""

from django.conf import settings
from django.http import HttpRequest

ABSOLUTE = ("http://", "https://")


def public_root(request: HttpRequest | None = None) -> str:
    """`scheme://host[:port]` of the public site, without a trailing slash."""
    if settings.BASE_URL:
        return settings.BASE_URL
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def public_url(url: str, request: HttpRequest | None = None) -> str:
    """A path of the public site as an absolute link; a link that is already absolute (a
    photo on object storage, another Wagtail site's page) is left as it is."""
    if not url or url.startswith(ABSOLUTE):
        return url
    if url.startswith("//"):
        return public_root(request).split("//", 1)[0] + url
    return public_root(request) + ("" if url.startswith("/") else "/") + url
