"""What the API looks up: the one gate for public stories, the cached site map, the request
`Context`, and sections, topics, pen names and editions by id or slug.

Every story goes through `public_stories()`: `ArticlePage.objects.published()` (the one gate for
anything public), minus stories under a Wagtail view restriction and stories whose expiry
time has passed but which the scheduler has not unpublished yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction, Site

from toasoan.core.addresses import public_url
from toasoan.core.changes import versioned
from toasoan.core.text import nfc
from toasoan.newsroom.models import ArticlePage, PenName, SectionPage, Topic

from .errors import bad_parameter

SITE_MAP_KEY = "api:site-map:2"  # bump when its shape changes (old copies in Redis)
SITE_MAP_SECONDS = 5 * 60


# --- the gate ---------------------------------------------------------------------------
def public_stories():
    """Live, public, unexpired stories, newest first.

    Like Wagtail's `.public()`, but the restricted sections' paths come from the cached site
    map (dropped whenever a restriction is added, changed or removed): one query less."""
    stories = (
        ArticlePage.objects.published()
        .filter(first_published_at__isnull=False)
        .exclude(expire_at__lte=timezone.now())
    )
    restricted = Q()
    for path in site_map()["restricted_paths"]:
        restricted |= Q(path__startswith=path)
    return stories.exclude(restricted) if restricted else stories


# --- the site map: sections, editions and listing URLs, cached --------------------------
def site_map() -> dict:
    """Sections by tree path, locales by id and the public URL patterns, cached 5 minutes
    under the content generation: a publish, unpublish, move, delete or view restriction
    (toasoan.delivery) makes it stale on every worker."""
    key = versioned(SITE_MAP_KEY)
    data = cache.get(key)
    if data is None:
        data = _build_site_map()
        cache.set(key, data, SITE_MAP_SECONDS)
    return data


def _build_site_map() -> dict:
    sections: dict[str, dict] = {}
    for section in SectionPage.objects.live().public().order_by("path"):
        parent = sections.get(section.path[: -Page.steplen])
        sections[section.path] = {
            "id": section.pk,
            "title": section.title,
            "slug": section.slug,
            "url": section.get_url() or "",  # made absolute per request (Context.absolute)
            "intro": section.intro,
            "parent_id": parent["id"] if parent else None,
            "level": parent["level"] + 1 if parent else 1,
            "path": section.path,
        }
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home_url, topic_pattern, pen_name_pattern = "", "", ""
    if site is not None:
        home = site.root_page.specific
        home_url = home.get_url() or ""
        reverse = getattr(home, "reverse_subpage", None)
        if reverse and home_url:
            try:
                topic_pattern = home_url + reverse("topic", args=["__slug__"])
                pen_name_pattern = home_url + reverse("pen_name", args=["__slug__"])
            except Exception:  # noqa: BLE001 - a home page without those routes: no URLs
                topic_pattern = pen_name_pattern = ""
    return {
        "sections": sections,
        "sections_by_id": {s["id"]: s["path"] for s in sections.values()},
        "locales": dict(Locale.objects.values_list("pk", "language_code")),
        "home_path": site.root_page.path if site else "",
        "restricted_paths": sorted(
            PageViewRestriction.objects.values_list("page__path", flat=True).distinct()
        ),
        "topic_url": topic_pattern,
        "pen_name_url": pen_name_pattern,
    }


# --- request context ----------------------------------------------------------------------
@dataclass
class Context:
    """What serialisers need from the request: absolute URLs and the cached site map."""

    request: object
    map: dict = field(default_factory=site_map)

    def absolute(self, url: str) -> str:
        """On the paper's public address (BASE_URL), as its pages' canonical links are."""
        return public_url(url, self.request) if url else ""

    def api(self, path: str) -> str:
        return self.absolute(f"/api/{path}")

    def listing_url(self, route: str, slug: str) -> str:
        """The public page of a topic (`route` "topic") or a pen name ("pen_name")."""
        pattern = self.map[f"{route}_url"]
        return self.absolute(pattern.replace("__slug__", slug)) if pattern else ""


# --- sections, topics, pen names and editions by id or slug -------------------------------
def find_section(ctx: Context, value: str) -> dict:
    """A live section by id or slug (the first in menu order when slugs repeat)."""
    value = nfc(value.strip())
    sections = ctx.map["sections"]
    if value.isascii() and value.isdigit():
        path = ctx.map["sections_by_id"].get(int(value))
        if path:
            return sections[path]
    else:
        for section in sections.values():
            if section["slug"] == value:
                return section
    raise bad_parameter(
        "section",
        "không có chuyên mục này (dùng id hoặc slug trong /api/sections).",
        "no such section (use an id or slug from /api/sections).",
    )


def _is_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) < 16


def _by_id_or_slug(model, value: str, parameter: str, vi: str, en: str):
    value = nfc(value.strip())
    lookup = Q(pk=int(value)) if _is_id(value) else Q(slug=value)
    found = model.objects.filter(lookup).first()
    if found is None:
        raise bad_parameter(parameter, vi, en)
    return found


def find_topic(value: str) -> Topic:
    return _by_id_or_slug(
        Topic,
        value,
        "topic",
        "không có chủ đề này (dùng id hoặc slug trong /api/topics).",
        "no such topic (use an id or slug from /api/topics).",
    )


def find_pen_name(value: str) -> PenName:
    return _by_id_or_slug(
        PenName,
        value,
        "pen_name",
        "không có bút danh này (dùng id hoặc slug trong /api/pen-names).",
        "no such pen name (use an id or slug from /api/pen-names).",
    )


def find_edition(ctx: Context, value: str) -> int:
    code = value.strip().lower()
    for pk, language in ctx.map["locales"].items():
        if language.lower() == code:
            return pk
    known = ", ".join(sorted(ctx.map["locales"].values()))
    raise bad_parameter(
        "edition",
        f"không có ấn bản này (có: {known}).",
        f"no such edition (available: {known}).",
    )
