"""Sitemaps: an index paging the whole archive, and the Google News sitemap.

Pages of the archive are ordered oldest first, so a new story only ever changes the last
page; each page is cached until the next publish (freshness.py). Entries carry `lastmod`
and an `image:image` for the cover photo.
"""

from datetime import UTC, timedelta
from types import SimpleNamespace

from django.contrib.sitemaps import Sitemap
from django.db import connections
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import cached_property
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from toasoan.core.addresses import public_root
from toasoan.newsroom.models import ArticlePage, SectionPage, story_path

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

    def images(self, item) -> list[str]:
        return []

    def get_urls(self, page=1, site=None, protocol=None):
        # Every <loc> on the paper's public address (BASE_URL), not the request's host.
        protocol, _, domain = public_root(self.request).partition("://")
        urls = super().get_urls(page=page, site=SimpleNamespace(domain=domain), protocol=protocol)
        for url in urls:
            url["images"] = self.images(url["item"])
            url["lastmod_iso"] = metadata.iso(url.get("lastmod"))
        return urls


class StorySitemap(_SiteSitemap):
    """Every live story of the edition, oldest first, read as plain rows: a file holds
    10,000 stories, and page objects with Wagtail's URL routine for each took seconds."""

    def items(self):
        stories = ArticlePage.objects.published()
        stories = stories.descendant_of(self.root) if self.root else stories.none()
        return stories.order_by("first_published_at", "pk").values(
            "pk", "slug", "url_path", "first_published_at", "last_published_at", "cover_image__file"
        )

    @cached_property
    def _home(self) -> tuple[str, int]:
        """The edition home's URL (as Wagtail gives it: "/", "/en/", or absolute for another
        site) and the length of its tree path, which every story's url_path starts with."""
        return self.root.get_url(self.request).rstrip("/"), len(self.root.url_path) - 1

    def location(self, story):
        home_url, prefix = self._home
        return home_url + story_path(story["url_path"][prefix:], story["slug"], story["pk"])

    @cached_property
    def _photo_urls(self) -> dict[str, str]:
        return {}  # file name → absolute URL: a photo often covers several stories

    def images(self, story) -> list[str]:
        name = story["cover_image__file"]
        if not name:
            return []
        if name not in self._photo_urls:
            storage = get_image_model()._meta.get_field("file").storage
            self._photo_urls[name] = metadata.absolute(self.request, storage.url(name))
        return [self._photo_urls[name]]

    def lastmod(self, story):
        return story["last_published_at"] or story["first_published_at"]

    def page_lastmods(self) -> list:
        """The newest change within each page of the sitemap, for the index: one query
        numbering the stories in sitemap order and grouping them by file (a query per file,
        each skipping the files before it, took seconds on a large archive)."""
        stories = self.items().order_by().values("id", "first_published_at", "last_published_at")
        sql, params = stories.query.sql_with_params()
        numbered = (
            "SELECT (ROW_NUMBER() OVER (ORDER BY first_published_at, id) - 1) / %s AS n, "
            f"COALESCE(last_published_at, first_published_at) AS changed FROM ({sql}) AS s"
        )
        with connections[stories.db].cursor() as cursor:
            cursor.execute(
                f"SELECT n, MAX(changed) FROM ({numbered}) AS f GROUP BY n ORDER BY n",
                [self.limit, *params],
            )
            rows = cursor.fetchall()
        return [_moment(changed) for _, changed in rows]


def _moment(value):
    """A timestamp read by raw SQL: SQLite gives text in UTC, PostgreSQL a datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value, UTC)
    return value


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
        ArticlePage.objects.published()
        .descendant_of(site.root_page.localized)  # this edition's stories
        .filter(first_published_at__gte=since)
        .defer_streamfields()
        .select_related("cover_image")[:NEWS_LIMIT]
    )
