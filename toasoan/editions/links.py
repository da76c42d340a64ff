"""Linked versions of a page: the same story (or section, or home) in every edition.

Versions share Wagtail's `translation_key`. Their URLs are cached per translation key (one
query when cold, none when warm), so hreflang links and the switcher cost the article page
nothing in its 15-query budget.
"""

from dataclasses import dataclass

from wagtail.models import Page

from toasoan.core.addresses import public_url
from toasoan.core.changes import kept, versioned

from . import editions
from .homes import edition_homes

CACHE_KEY = "editions:versions:{key}"
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class Version:
    edition: editions.Edition
    url: str  # absolute
    is_counterpart: bool  # False: the edition's home page stands in for a missing version
    is_current: bool


def version_urls(page: Page, request) -> dict[str, str]:
    """{"vi": "/chinh-tri/…-16.html", "en": "/en/politics/…-71.html"}: the live versions of a
    page, cached until the next content change (toasoan.core.changes)."""
    key = versioned(CACHE_KEY.format(key=page.translation_key))

    def build() -> dict[str, str]:
        urls = {}
        for version in (
            Page.objects.live()
            .filter(translation_key=page.translation_key)
            .select_related("locale")
        ):
            url = version.specific_deferred.get_url(request)
            if url:
                urls[version.locale.language_code] = url
        return urls

    return kept(key, build, CACHE_SECONDS)


def versions_for(request, page: Page | None) -> list[Version]:
    """Every edition with a live home: this page's version there, or that edition's home."""
    cache_attr = "_edition_versions"
    cached = getattr(request, cache_attr, None)
    if cached is not None and cached[0] == (page.pk if page else None):
        return cached[1]
    current = editions.current()
    homes = edition_homes()
    counterparts: dict[str, str] = {}
    if page is not None and _is_page_view(request, page):
        counterparts = version_urls(page, request)
    result = []
    for edition in editions.all_editions():
        if edition.code not in homes:
            continue
        url = counterparts.get(edition.code)
        result.append(
            Version(
                edition=edition,
                url=public_url(url or edition.home_url, request),
                is_counterpart=bool(url),
                is_current=edition.code == current.code,
            )
        )
    setattr(request, cache_attr, ((page.pk if page else None), result))
    return result


def _is_page_view(request, page: Page) -> bool:
    """True on the page itself, False on a route below it (topic and pen-name listings)."""
    url = page.get_url(request)
    return bool(url) and url == request.path
