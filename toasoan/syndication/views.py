"""Feeds, the feed list page, robots.txt and sitemaps: thin views over feeds.py/sitemaps.py."""

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import get_language, override
from wagtail.models import Site

from toasoan.newsroom.models import SectionPage

from . import metadata
from .feeds import StoriesFeed
from .freshness import FEED_TIMEOUT, SITEMAP_TIMEOUT, cached_response
from .sitemaps import SectionSitemap, StorySitemap, news_items

SITEMAPS = {"bai-viet": StorySitemap, "chuyen-muc": SectionSitemap}


@cached_response(FEED_TIMEOUT)
def latest_feed(request):
    return StoriesFeed()(request)


@cached_response(FEED_TIMEOUT)
def section_feed(request, section_path: str):
    return StoriesFeed()(request, section_path=section_path)


def feed_list(request):
    """`/rss/`: every feed the paper offers, as Vietnamese papers list them."""
    site = Site.find_for_request(request)
    sections = []
    if site is not None:
        root = site.root_page.localized  # this edition's home
        for section in SectionPage.objects.live().descendant_of(root).order_by("path"):
            sections.append(
                {
                    "title": section.title,
                    "level": section.depth - root.depth,
                    "url": metadata.feed_url(section, request),
                }
            )
    return render(
        request,
        "syndication/feed_list.html",
        {"sections": sections, "latest_url": reverse("syndication:feed-latest")},
    )


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        *(f"Disallow: /{c}/search/" for c, _ in settings.LANGUAGES if c != settings.LANGUAGE_CODE),
        "",
    ]
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:  # every edition's sitemaps
        with override(code):
            for name in ("syndication:sitemap-index", "syndication:sitemap-news"):
                lines.append(f"Sitemap: {metadata.absolute(request, reverse(name))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@cached_response(SITEMAP_TIMEOUT)
def sitemap_index(request):
    entries, newest = [], None
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class(request)
        if not sitemap.paginator.count:  # a new paper: no file to list (its one page is empty)
            continue
        url = metadata.absolute(request, reverse("syndication:sitemap-section", args=[name]))
        for number, lastmod in zip(
            sitemap.paginator.page_range, sitemap.page_lastmods(), strict=True
        ):
            entries.append(
                {
                    "location": url if number == 1 else f"{url}?p={number}",
                    "lastmod": metadata.iso(lastmod),
                }
            )
            if lastmod and (newest is None or lastmod > newest):
                newest = lastmod
    response = render(
        request,
        "syndication/sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml; charset=utf-8",
    )
    if newest:
        response["Last-Modified"] = http_date(newest.timestamp())
    response["X-Robots-Tag"] = "noindex"
    return response


@cached_response(SITEMAP_TIMEOUT)
def sitemap_section(request, section: str):
    if section not in SITEMAPS:
        raise Http404("Không có sơ đồ trang này")
    return sitemap_views.sitemap(
        request,
        {section: SITEMAPS[section](request)},
        section=section,
        template_name="syndication/sitemap.xml",
        content_type="application/xml; charset=utf-8",
    )


@cached_response(FEED_TIMEOUT)
def news_sitemap(request):
    response = render(
        request,
        "syndication/news_sitemap.xml",
        {
            "stories": [
                {
                    "location": metadata.absolute(request, story.get_url(request)),
                    "title": story.title,
                    "published": metadata.iso(story.first_published_at),
                    "image": metadata.absolute(request, story.cover_image.file.url)
                    if story.cover_image
                    else "",
                }
                for story in news_items(request)
            ],
            "publication": metadata.paper_name(request),
            "language": get_language(),  # news:language of this edition
        },
        content_type="application/xml; charset=utf-8",
    )
    response["X-Robots-Tag"] = "noindex"
    return response
