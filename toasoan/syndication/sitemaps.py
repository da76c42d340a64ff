"""Sitemaps: an index paging the whole archive, and the Google News sitemap.

Pages of the archive are ordered oldest first, so a new story only ever changes the last
page; each page is cached until the next publish (freshness.py). Entries carry `lastmod`
and an `image:image` for the cover photo.
"""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.utils import timezone
from wagtail.models import Page, Site

from toasoan.newsroom.models import SectionPage, published_articles

from . import metadata

URLS_PER_FILE = 10_000  # the protocol allows 50,000; smaller files render fast when uncached
NEWS_DAYS = 2
NEWS_LIMIT = 1000


class _SiteSitemap(Sitemap):
    """A sitemap bound to the request: its site's pages only, absolute photo URLs."""

    limit = URLS_PER_FILE

    def __init__(self, request):
        self.request = request
        site = Site.find_for_request(request)
        self.root = site.root_page.localized if site else None  # this edition's home

    def location(self, page):
        return page.get_url(self.request)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            photo = getattr(url["item"], "cover_image", None)
            url["images"] = [self.request.build_absolute_uri(photo.file.url)] if photo else []
            url["lastmod_iso"] = metadata.iso(url.get("lastmod"))
        return urls


class StorySitemap(_SiteSitemap):
    def items(self):
        if self.root is None:
            return published_articles().none()
        return (
            published_articles()
            .descendant_of(self.root)
            .defer_streamfields()
            .select_related("cover_image")
            .order_by("first_published_at", "pk")
        )

    def lastmod(self, page):
        return page.last_published_at or page.first_published_at

    def page_lastmods(self) -> list:
        """The newest change within each page of the sitemap, for the index: one pass over
        the stories' dates in sitemap order (a query per page, each skipping all the pages
        before it, took seconds on a large archive)."""
        lastmods: list = []
        dates = self.items().values_list("last_published_at", "first_published_at")
        for n, (last, first) in enumerate(dates.iterator(chunk_size=10_000)):
            changed = last or first
            if n % self.limit == 0:
                lastmods.append(changed)
            elif changed > lastmods[-1]:
                lastmods[-1] = changed
        return lastmods


class SectionSitemap(_SiteSitemap):
    """The home page and every live section."""

    def items(self):
        if self.root is None:
            return Page.objects.none()
        return (
            Page.objects.live()
            .descendant_of(self.root, inclusive=True)
            .filter(Q(pk=self.root.pk) | Page.objects.type_q(SectionPage))
            .order_by("path")
        )

    def lastmod(self, section):
        return section.last_published_at

    def page_lastmods(self) -> list:
        latest = self.items().aggregate(m=Max("last_published_at"))["m"]
        return [latest for _ in self.paginator.page_range]


def news_items(request) -> list:
    """Google News: stories of the last two days, newest first, at most 1,000."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    since = timezone.now() - timedelta(days=NEWS_DAYS)
    return list(
        published_articles()
        .descendant_of(site.root_page.localized)  # this edition's stories
        .filter(first_published_at__gte=since)
        .defer_streamfields()
        .select_related("cover_image")[:NEWS_LIMIT]
    )
