"""The Wagtail site of a request (and the sites' root paths, from which every page URL is
made), and the active language's Locale, found once per frame (`changes.framed`) instead of
on every request.

Wagtail looks the site up in the database on every request that needs it (every public page
does: URLs, settings, menus), and the Locale of the active language on every page it routes
(`Page.localized`, for the site's home); the answers only change when a site or a locale is
edited, which changes the frame (toasoan.core.signals): publishing a story does not."""

from contextlib import suppress

from django.db import DatabaseError
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.models.i18n import LocaleManager

from toasoan.core.changes import framed


def known_site(get_response):
    def middleware(request):
        with suppress(DatabaseError):  # then left to the views that need a site
            remember_site(request)
        return get_response(request)

    return middleware


def remember_site(request) -> None:
    if not hasattr(request, "_wagtail_site"):
        host = split_domain_port(request._get_raw_host())[0]
        request._wagtail_site = framed(
            f"site:{host}:{request.get_port()}", lambda: Site._find_for_request(request)
        )
    # Every page URL is worked out from these (Wagtail reads them from the cache once per
    # request otherwise); a change of site or home page changes the frame.
    request._wagtail_cached_site_root_paths = framed("site-root-paths", Site.get_site_root_paths)


def remember_locales() -> None:
    """Wagtail's `Locale.objects.get_for_language` (what `Locale.get_active()` asks, on every
    routed page) answered from this worker's memory until the frame changes (a locale
    saved or deleted bumps it). Installed once, when the app is ready."""
    lookup = LocaleManager.get_for_language
    if getattr(lookup, "remembered", False):
        return

    def get_for_language(manager, language_code):
        return framed(f"locale:{language_code}", lambda: lookup(manager, language_code))

    get_for_language.remembered = True
    LocaleManager.get_for_language = get_for_language
