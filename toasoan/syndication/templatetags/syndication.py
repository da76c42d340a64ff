"""`{% article_head page %}`, `{% home_head %}`, `{% section_feed_link page %}` for <head>;
`{% sitemap_entries urlset %}` for sitemap files.

The article's block is cached per version of the story (its id, last publication and URL
path), so it costs the article page no query once rendered: the page stays within its
15-query budget. Other stories being published do not drop it; renamed pen names or
sections show within the hour.
"""

import hashlib

from django import template
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from toasoan.core.addresses import public_root
from toasoan.core.changes import kept

from .. import metadata
from ..freshness import key

register = template.Library()
TIMEOUT = 60 * 60


def _cached_render(name: str, cache_key: str, build) -> SafeString:
    html = kept(cache_key, lambda: str(render_to_string(name, build())), TIMEOUT)
    return mark_safe(html)  # noqa: S308 - our own template's output


@register.simple_tag(takes_context=True)
def article_head(context, page) -> str:
    request = context["request"]
    version = (page.pk, page.last_published_at, page.url_path, public_root(request))
    cache_key = "syndication:article-head:" + hashlib.sha256(repr(version).encode()).hexdigest()
    return _cached_render(
        "syndication/head.html", cache_key, lambda: metadata.article(page, request)
    )


@register.simple_tag(takes_context=True)
def home_head(context) -> str:
    request = context["request"]
    cache_key = key("home-head", public_root(request), get_language())
    return _cached_render("syndication/head.html", cache_key, lambda: metadata.home(request))


@register.simple_tag(takes_context=True)
def section_feed_link(context, page) -> str:
    request = context["request"]
    return render_to_string(  # a SafeString: simple_tag leaves it as it is
        "syndication/head.html",
        {"feed": (page.title, metadata.feed_url(page, request))},
    )


@register.simple_tag
def sitemap_entries(urlset) -> SafeString:
    """The `<url>` entries of a sitemap file, written here rather than by a template loop:
    a file holds 10,000 stories, and the loop took half a second of it."""
    entries = []
    for url in urlset:
        lastmod = f"<lastmod>{url['lastmod_iso']}</lastmod>" if url.get("lastmod_iso") else ""
        images = "".join(
            f"<image:image><image:loc>{escape(image)}</image:loc></image:image>"
            for image in url.get("images", ())
        )
        entries.append(f"<url><loc>{escape(url['location'])}</loc>{lastmod}{images}</url>\n")
    return mark_safe("".join(entries))  # noqa: S308 - every value escaped above
