"""Each edition's home page: the live versions (same `translation_key`) of a site's home.

The Vietnamese home is a site's root page; every other edition's home is its translation
(setup.py), served under the language's prefix (/en/)."""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Page, Site

from toasoan.core.changes import frame_versioned, framed

HOMES_CACHE_KEY = "editions:homes"
# What staff see above every edition in the page tree and above every collection of photos
# (Wagtail names both "Root").
TREE_ROOT_TITLE = "Các ấn bản"
ROOT_COLLECTION_NAME = "Thư viện chung"


def edition_homes() -> dict[str, int]:
    """The live home page of each language's edition: {"vi": 3, "en": 60} (cached)."""
    return framed(HOMES_CACHE_KEY, lambda: _edition_homes(frame_versioned(HOMES_CACHE_KEY)))


def _edition_homes(key: str) -> dict[str, int]:
    homes = cache.get(key)
    if homes is None:
        site_homes = Site.objects.values("root_page__translation_key")
        homes = dict(
            Page.objects.live()
            .filter(translation_key__in=site_homes)
            .order_by("-path")
            .values_list("locale__language_code", "pk")
        )
        cache.set(key, homes, 60 * 60)
    return homes


def edition_home_id(default_id: int) -> int:
    """The home page of the edition being served (the active language), else `default_id`."""
    code = translation.get_language()
    return default_id if code == settings.LANGUAGE_CODE else edition_homes().get(code, default_id)
