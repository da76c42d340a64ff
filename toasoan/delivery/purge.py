"""Purging the nginx micro-caches (deploy/nginx/) when content changes.

Configured by `FRONTEND_CACHE_URLS` (settings.py → WAGTAILFRONTENDCACHE): one entry per nginx,
none by default. The URLs go through Wagtail's frontend-cache task (a django-tasks `@task`),
queued after the commit, so the editor's request never waits for a cache. Failures are logged
and never reach the editor; the micro-cache's few seconds of validity bound the damage.
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import HTTPBackend as WagtailHTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends, purge_urls_from_cache
from wagtail.models import Page

log = logging.getLogger(__name__)

PURGE_TIMEOUT = 2.0  # seconds per request; a hung cache must not hold a task worker
PURGE_CONCURRENCY = 8
# Listings every change may alter, per edition (URL names under i18n_patterns).
EDITION_URLS = (
    ("syndication:feeds", ()),
    ("syndication:feed-latest", ()),
    ("syndication:sitemap-index", ()),
    ("syndication:sitemap-news", ()),
    ("syndication:sitemap-section", ("bai-viet",)),
    ("syndication:sitemap-section", ("chuyen-muc",)),
)


class HTTPBackend(WagtailHTTPBackend):
    """Wagtail's PURGE-over-HTTP backend with a timeout (Wagtail's waits forever) and the
    URLs of one change sent in parallel, so a batch costs about one round trip."""

    def purge(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]),
            headers={"Host": host, "User-Agent": f"Wagtail-frontendcache/{wagtail_version}"},
        )
        try:
            urlopen(request, timeout=PURGE_TIMEOUT).close()  # noqa: S310 - configured URL
        except HTTPError as error:
            if error.code != 404:  # 404: nothing cached under that URL, nothing to do
                log.error("Purge of %s from %s failed: HTTP %s", url, self.cache_netloc, error.code)
        except OSError as error:  # refused, unreachable, timed out
            log.error("Purge of %s from %s failed: %s", url, self.cache_netloc, error)

    def purge_batch(self, urls) -> None:
        with ThreadPoolExecutor(max_workers=PURGE_CONCURRENCY) as pool:
            list(pool.map(self.purge, urls))


def enabled() -> bool:
    return bool(get_backends())


def urls_for(page: Page) -> set[str]:
    """A page's URL, its ancestors' (sections, edition home) and their feeds, and the
    edition's feed list, latest feed and sitemaps: every cached URL that may show it."""
    from toasoan.newsroom.models import SectionPage
    from toasoan.syndication.metadata import feed_url

    page = page.specific_deferred
    parts = page.get_url_parts()
    if not parts or parts[2] is None:
        return set()
    _site_id, root_url, path = parts
    urls = {root_url + path}
    with translation.override(page.locale.language_code):
        chain = [*page.get_ancestors().filter(depth__gt=1).specific(), page]
        for item in chain:
            item_parts = item.get_url_parts()
            if item_parts and item_parts[2] is not None:
                urls.add(item_parts[1] + item_parts[2])
            if isinstance(item, SectionPage):
                urls.add(root_url + feed_url(item, None))
        for name, args in EDITION_URLS:
            try:
                urls.add(root_url + reverse(name, args=args))
            except NoReverseMatch:
                continue
    return urls


def enqueue(urls: list[str]) -> None:
    """Queue the purge (django-tasks); never raises into the editor's request."""
    if not urls or not enabled():
        return
    try:
        purge_urls_from_cache(urls)
    except Exception:  # the queue itself is down: the micro-cache expires on its own
        log.exception("Could not queue the purge of %d URLs", len(urls))
