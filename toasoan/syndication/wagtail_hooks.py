"""A changed page also changes the feeds and sitemaps that list it: their URLs join the purge
of the front caches (toasoan.core.changes)."""

from django.urls import NoReverseMatch, reverse
from wagtail import hooks

from toasoan.core.changes import PUBLIC_URLS_HOOK
from toasoan.newsroom.models import SectionPage

from .metadata import feed_url

# Listings every change may alter, per edition (URL names under i18n_patterns).
EDITION_URLS = (
    ("syndication:feeds", ()),
    ("syndication:feed-latest", ()),
    ("syndication:sitemap-index", ()),
    ("syndication:sitemap-news", ()),
    ("syndication:sitemap-section", ("bai-viet",)),
    ("syndication:sitemap-section", ("chuyen-muc",)),
)


@hooks.register(PUBLIC_URLS_HOOK)
def feeds_and_sitemaps(page, chain) -> set[str]:
    """The feeds of the sections above the page, and the edition's feed list, latest feed and
    sitemaps (the edition's language is active)."""
    root_url = page.get_url_parts()[1]
    urls = {root_url + feed_url(item, None) for item in chain if isinstance(item, SectionPage)}
    for name, args in EDITION_URLS:
        try:
            urls.add(root_url + reverse(name, args=args))
        except NoReverseMatch:
            continue
    return urls
