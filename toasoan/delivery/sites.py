"""The Wagtail site of a request (and the sites' root paths, from which every page URL is
made), found once per content generation instead of on every request.

Wagtail looks the site up in the database on every request that needs it (every public page
does: URLs, settings, menus); the answer only changes when a site is edited, which bumps the
generation (toasoan.core.signals)."""

from contextlib import suppress

from django.db import DatabaseError
from django.http.request import split_domain_port
from wagtail.models import Site

from toasoan.core.changes import remembered


def known_site(get_response):
    def middleware(request):
        with suppress(DatabaseError):  # then left to the views that need a site
            remember_site(request)
        return get_response(request)

    return middleware


def remember_site(request) -> None:
    if not hasattr(request, "_wagtail_site"):
        host = split_domain_port(request._get_raw_host())[0]
        request._wagtail_site = remembered(
            f"site:{host}:{request.get_port()}", lambda: Site._find_for_request(request)
        )
    # Every page URL is worked out from these (Wagtail reads them from the cache once per
    # request otherwise); a change of site or home page bumps the generation.
    request._wagtail_cached_site_root_paths = remembered(
        "site-root-paths", Site.get_site_root_paths
    )
