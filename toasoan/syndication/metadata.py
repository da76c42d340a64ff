"""What search engines and social networks read from a page: JSON-LD, Open Graph, Twitter.

Plain functions returning plain data; templatetags/syndication.py renders and caches them.
Dates are ISO 8601 in the paper's time zone (+07:00); every URL is absolute.
"""

import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from wagtail.models import Page

from toasoan.core.addresses import public_url
from toasoan.editions.paper import paper_for
from toasoan.newsroom.models import ArticlePage, SectionPage
from toasoan.newsroom.sizes import shown_sizes

from .freshness import xml_safe

SHARE_RENDITION = "width-1200|format-jpeg"  # the article page's own largest JPEG: no extra work
LOGO = ("syndication/logo.png", 512, 512)
LANGUAGE = "vi"
OG_LOCALE = "vi_VN"
OG_LOCALES = {"vi": "vi_VN", "en": "en_US"}  # other editions: Open Graph's default


def absolute(request, url: str) -> str:
    """On the paper's public address (BASE_URL), as the canonical link is."""
    return public_url(url, request)


def iso(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def json_ld(data) -> str:
    """JSON for a <script type="application/ld+json">: nothing in it can close the tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def paper_name(request) -> str:
    """The name of the edition being served (toasoan.editions: "Quang Nam Online" at /en/)."""
    return paper_for(request).name


def og_locale() -> str:
    return OG_LOCALES.get(get_language(), OG_LOCALE)


def home_url(request) -> str:
    return absolute(request, reverse("wagtail_serve", args=[""]))  # this edition's home


def feed_url(section: Page, request) -> str:
    """`/rss/thoi-su.rss`, `/rss/kinh-te/nong-nghiep.rss`: the section's path, as a feed
    (`/en/rss/news.rss` in the English edition)."""
    path = (section.get_url(request) or "").strip("/")
    prefix = get_language() + "/"
    if path.startswith(prefix) and get_language() != settings.LANGUAGE_CODE:
        path = path[len(prefix) :]
    if not path:
        return reverse("syndication:feed-latest")
    return reverse("syndication:feed-section", args=[path])


def publisher(request) -> dict:
    path, width, height = LOGO
    return {
        "@type": "NewsMediaOrganization",
        "name": paper_name(request),
        "url": home_url(request),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(request, static(path)),
            "width": width,
            "height": height,
        },
    }


def share_image(page: ArticlePage, request) -> dict | None:
    photo = page.cover_image
    if photo is None:
        return None
    # Only a size already made (newsroom.sizes); the original until it is.
    rendition = shown_sizes(photo, (SHARE_RENDITION,))[0].get(SHARE_RENDITION) or photo
    return {
        "url": absolute(request, rendition.file.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": page.cover_caption_text or page.title,
    }


def article(page: ArticlePage, request) -> dict:
    """Everything the article's <head> says about it, from four small reads."""
    section_type = ContentType.objects.get_for_model(SectionPage).pk  # cached by Django
    sections = [p for p in page.ancestor_list() if p.content_type_id == section_type]
    section = sections[-1] if sections else None
    pen_names = page.pen_names()
    topics = [t.name for t in page.topic_list()]
    url = absolute(request, page.get_url(request))
    description = xml_safe(page.search_description or page.sapo).strip()
    image = share_image(page, request)

    news = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "description": description,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": iso(page.first_published_at),
        "dateModified": iso(page.last_published_at or page.first_published_at),
        "inLanguage": get_language(),
        "author": [
            {
                "@type": "Person",
                "name": pen.name,
                "url": absolute(request, f"/tac-gia/{pen.slug}/"),
            }
            for pen in pen_names
        ],
        "publisher": publisher(request),
    }
    if image:
        news["image"] = [
            {
                "@type": "ImageObject",
                "url": image["url"],
                "width": image["width"],
                "height": image["height"],
            }
        ]
    if section:
        news["articleSection"] = section.title
    if topics:
        news["keywords"] = ", ".join(topics)

    crumbs = [(pgettext("site", "Home"), home_url(request))]
    crumbs += [(p.title, absolute(request, p.get_url(request))) for p in sections]
    crumbs.append((page.title, url))
    breadcrumb = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": item}
            for n, (name, item) in enumerate(crumbs, start=1)
        ],
    }

    og = [
        ("og:type", "article"),
        ("og:site_name", paper_name(request)),
        ("og:locale", og_locale()),
        ("og:title", page.seo_title or page.title),
        ("og:description", description),
        ("og:url", url),
        ("article:published_time", iso(page.first_published_at)),
        ("article:modified_time", iso(page.last_published_at or page.first_published_at)),
    ]
    if section:
        og.append(("article:section", section.title))
    og += [("article:tag", topic) for topic in topics]
    og += [("article:author", a["url"]) for a in news["author"]]
    if image:
        og += [
            ("og:image", image["url"]),
            ("og:image:width", str(image["width"])),
            ("og:image:height", str(image["height"])),
            ("og:image:alt", image["alt"]),
        ]
    twitter = [
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", page.seo_title or page.title),
        ("twitter:description", description),
    ]
    if image:
        twitter += [("twitter:image", image["url"]), ("twitter:image:alt", image["alt"])]
    return {
        "json_ld": [json_ld(news), json_ld(breadcrumb)],
        "og": og,
        "twitter": twitter,
        "feed": (section.title, feed_url(section, request)) if section else None,
    }


def home(request) -> dict:
    """The home page: the paper as a WebSite whose search box search engines can use."""
    name = paper_name(request)
    url = home_url(request)
    website = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": name,
        "url": url,
        "inLanguage": get_language(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute(request, reverse("search:search"))
                + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }
    organisation = {"@context": "https://schema.org", **publisher(request)}
    og = [
        ("og:type", "website"),
        ("og:site_name", name),
        ("og:locale", og_locale()),
        ("og:title", name),
        ("og:url", url),
    ]
    return {"json_ld": [json_ld(website), json_ld(organisation)], "og": og, "twitter": []}
