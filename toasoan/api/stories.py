"""What the API publishes about stories, sections, topics and pen names, as plain data.

Every story goes through `public_stories()`: `published_articles()` (the one gate for
anything public), minus stories under a Wagtail view restriction and stories whose expiry
time has passed but which the scheduler has not unpublished yet. Each serialiser below
names its fields one by one: nothing reaches a partner by accident (no draft titles,
staff accounts, real names of outside contributors, revision notes or comments).
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.utils import timezone
from wagtail.images.models import Filter
from wagtail.models import Locale, Page, PageViewRestriction, Site

from toasoan.core.text import nfc, short_datetime
from toasoan.delivery.changes import versioned
from toasoan.newsroom.models import (
    LISTING_RENDITIONS,
    ArticleByline,
    ArticleKind,
    ArticlePage,
    ArticleTopic,
    PenName,
    Photo,
    PhotoRendition,
    SectionPage,
    Topic,
    published_articles,
    with_cover,
)

from .body import body_html
from .errors import ApiError, bad_parameter

DETAIL_RENDITIONS = LISTING_RENDITIONS + ("width-1200|format-webp", "width-1200|format-jpeg")
MIME_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png", "avif": "image/avif"}
SITE_MAP_KEY = "api:site-map:2"  # bump when its shape changes (old copies in Redis)
SITE_MAP_SECONDS = 5 * 60
BYLINE_ROLES = dict(ArticleByline._meta.get_field("role").choices)
KIND_LABELS = dict(ArticleKind.choices)
# What a story summary reads (loading whole pages costs more than the query itself).
SUMMARY_FIELDS = (
    "id", "path", "depth", "url_path", "slug", "title", "locale_id", "live",
    "first_published_at", "last_published_at", "kind", "lead_prefix", "sapo",
    "cover_image", "is_breaking",
)  # fmt: skip


# --- the gate ---------------------------------------------------------------------------
def public_stories():
    """Live, public, unexpired stories, newest first.

    Like Wagtail's `.public()`, but the restricted sections' paths come from the cached site
    map (dropped whenever a restriction is added, changed or removed): one query less."""
    stories = (
        published_articles()
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
            "url": section.get_full_url(),
            "intro": section.intro,
            "parent_id": parent["id"] if parent else None,
            "level": parent["level"] + 1 if parent else 1,
            "path": section.path,
        }
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home_url, topic_pattern, pen_name_pattern = "", "", ""
    if site is not None:
        home = site.root_page.specific
        home_url = home.get_full_url() or ""
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
        return self.request.build_absolute_uri(url) if url else ""

    def api(self, path: str) -> str:
        return self.request.build_absolute_uri(f"/api/{path}")

    def topic_url(self, slug: str) -> str:
        pattern = self.map["topic_url"]
        return pattern.replace("__slug__", slug) if pattern else ""

    def pen_name_url(self, slug: str) -> str:
        pattern = self.map["pen_name_url"]
        return pattern.replace("__slug__", slug) if pattern else ""


# --- filters ------------------------------------------------------------------------------
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


def find_topic(value: str) -> Topic:
    value = nfc(value.strip())
    lookup = Q(pk=int(value)) if _is_id(value) else Q(slug=value)
    topic = Topic.objects.filter(lookup).first()
    if topic is None:
        raise bad_parameter(
            "topic",
            "không có chủ đề này (dùng id hoặc slug trong /api/topics).",
            "no such topic (use an id or slug from /api/topics).",
        )
    return topic


def find_pen_name(value: str) -> PenName:
    value = nfc(value.strip())
    lookup = Q(pk=int(value)) if _is_id(value) else Q(slug=value)
    pen_name = PenName.objects.filter(lookup).first()
    if pen_name is None:
        raise bad_parameter(
            "pen_name",
            "không có bút danh này (dùng id hoặc slug trong /api/pen-names).",
            "no such pen name (use an id or slug from /api/pen-names).",
        )
    return pen_name


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


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


YEARS = range(1900, 2201)


def parse_moment(name: str, value: str, *, end: bool) -> datetime:
    """`22/12/2021`, `2021-12-22` (whole days, the paper's time zone) or an ISO date-time.

    A day as an end bound includes the whole day."""
    text = value.strip()
    for fmt in DATE_FORMATS:
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if day.year in YEARS:
            return _day_bound(day, end)
        break
    else:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            moment = None
        if moment is not None and moment.year in YEARS:
            return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    raise bad_parameter(
        name,
        "ngày phải có dạng dd/mm/yyyy (22/12/2021) hoặc ISO 8601 (2021-12-22), năm 1900–2200.",
        "dates are dd/mm/yyyy (22/12/2021) or ISO 8601 (2021-12-22), years 1900–2200.",
    )


def _day_bound(day: date, end: bool) -> datetime:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start + timedelta(days=1) if end else start


@dataclass
class StoryFilters:
    section: str | None = None
    topic: str | None = None
    pen_name: str | None = None
    edition: str | None = None
    kind: str | None = None
    date_from: str | None = None
    date_to: str | None = None


def filtered_stories(ctx: Context, filters: StoryFilters):
    stories = public_stories()
    if filters.section:
        stories = stories.filter(path__startswith=find_section(ctx, filters.section)["path"])
    if filters.topic:
        stories = stories.filter(tagged_topics__tag=find_topic(filters.topic))
    if filters.pen_name:
        stories = stories.filter(bylines__pen_name=find_pen_name(filters.pen_name))
    if filters.edition:
        stories = stories.filter(locale_id=find_edition(ctx, filters.edition))
    if filters.kind:
        stories = stories.filter(kind=filters.kind)
    start = end = None
    if filters.date_from:
        start = parse_moment("date_from", filters.date_from, end=False)
        stories = stories.filter(first_published_at__gte=start)
    if filters.date_to:
        raw = filters.date_to.strip()
        whole_day = any(_matches(raw, fmt) for fmt in DATE_FORMATS)
        end = parse_moment("date_to", raw, end=True)
        lookup = "first_published_at__lt" if whole_day else "first_published_at__lte"
        stories = stories.filter(**{lookup: end})
    if start and end and start >= end:
        raise bad_parameter("date_to", "phải sau date_from.", "must come after date_from.")
    return stories


def _matches(text: str, fmt: str) -> bool:
    try:
        datetime.strptime(text, fmt)
    except ValueError:
        return False
    return True


# --- cursor pagination on (first_published_at, id) -------------------------------------
def encode_cursor(story: ArticlePage) -> str:
    moment = story.first_published_at.astimezone(UTC)
    micros = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    raw = f"v1:{micros}:{story.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        version, micros, pk = base64.urlsafe_b64decode(padded.encode()).decode().split(":")
        if version != "v1":
            raise ValueError(version)
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(micros))
        if not 0 < int(pk) < 2**53 or moment.year not in YEARS:
            raise ValueError(pk)
        return moment, int(pk)
    except (ValueError, UnicodeError, binascii.Error, OverflowError):
        raise bad_parameter(
            "cursor",
            "con trỏ trang không đúng; hãy dùng next_cursor của trang trước.",
            "malformed cursor; use next_cursor from the previous page.",
        ) from None


def page_after(stories, cursor: str | None, limit: int) -> tuple[list[ArticlePage], str | None]:
    """One page, newest first, after the cursor; stable when newer stories are published."""
    if cursor:
        moment, pk = decode_cursor(cursor)
        # "<= moment, minus the ties already seen" rather than "< moment OR (= moment AND
        # id <)": PostgreSQL then walks the first_published_at index from the cursor on
        # (0.1 ms mid-archive on 200,000 stories, instead of 60 ms filtering from the top).
        stories = stories.filter(first_published_at__lte=moment).exclude(
            first_published_at=moment, pk__gte=pk
        )
    rows = list(stories.order_by("-first_published_at", "-pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1]) if more and rows else None)


# --- serialisers --------------------------------------------------------------------------
PHOTO_FIELDS = tuple(f"cover_image__{f.name}" for f in Photo._meta.concrete_fields)


def for_listing(stories, renditions=LISTING_RENDITIONS):
    """Summary fields and the cover photo in one query, the photos' renditions in a second."""
    return (
        stories.only(*SUMMARY_FIELDS, *PHOTO_FIELDS)
        .select_related("cover_image")
        .prefetch_related(
            Prefetch(
                "cover_image__renditions",
                queryset=PhotoRendition.objects.filter(filter_spec__in=renditions),
                to_attr="prefetched_renditions",
            )
        )
    )


def load_summaries(ctx: Context, stories: list[ArticlePage]) -> list[dict]:
    """Bylines and topics for a page of stories in two queries, then the summaries."""
    ids = [story.pk for story in stories]
    bylines: dict[int, list] = defaultdict(list)
    for byline in (
        ArticleByline.objects.filter(page_id__in=ids)
        .select_related("pen_name")
        .order_by("page_id", "sort_order")
    ):
        bylines[byline.page_id].append(byline)
    topics: dict[int, list] = defaultdict(list)
    for tagged in (
        ArticleTopic.objects.filter(content_object_id__in=ids)
        .select_related("tag")
        .order_by("content_object_id", "tag__name")
    ):
        topics[tagged.content_object_id].append(tagged.tag)
    return [
        story_summary(ctx, story, bylines[story.pk], topics[story.pk], LISTING_RENDITIONS)
        for story in stories
    ]


def story_summary(ctx: Context, story: ArticlePage, bylines, topics, renditions) -> dict:
    first = story.first_published_at
    last = story.last_published_at or first
    section = ctx.map["sections"].get(story.path[: -Page.steplen])
    return {
        "id": story.pk,
        "url": story.get_full_url(ctx.request) or "",
        "api_url": ctx.api(f"stories/{story.pk}"),
        "ninjs_url": ctx.api(f"stories/{story.pk}/ninjs"),
        "title": story.title,
        "kind": story.kind,
        "kind_label": KIND_LABELS.get(story.kind, story.kind),
        "lead_prefix": story.lead_prefix,
        "sapo": story.sapo,
        "lead": story.lead,
        "first_published_at": timezone.localtime(first),
        "last_published_at": timezone.localtime(last),
        "published_display": short_datetime(first),
        "updated": story.was_updated,
        "is_breaking": story.is_breaking,
        "edition": ctx.map["locales"].get(story.locale_id, ""),
        "section": section_ref(section) if section else None,
        "bylines": [byline_out(ctx, byline) for byline in bylines],
        "topics": [topic_out(ctx, topic) for topic in topics],
        "cover": image_out(
            ctx,
            story.cover_image,
            renditions,
            caption=story.cover_caption_text,
            credit=story.cover_credit_text,
        )
        if story.cover_image_id and story.cover_image
        else None,
    }


def section_ref(section: dict) -> dict:
    return {key: section[key] for key in ("id", "title", "slug", "url")}


def section_out(section: dict) -> dict:
    return {
        key: section[key] for key in ("id", "title", "slug", "url", "intro", "parent_id", "level")
    }


def topic_out(ctx: Context, topic: Topic) -> dict:
    return {
        "id": topic.pk,
        "name": topic.name,
        "slug": topic.slug,
        "url": ctx.topic_url(topic.slug),
    }


def pen_name_out(ctx: Context, pen_name: PenName) -> dict:
    """Only the public face of a pen name: never the staff account or the real name."""
    return {
        "id": pen_name.pk,
        "name": pen_name.name,
        "slug": pen_name.slug,
        "url": ctx.pen_name_url(pen_name.slug),
        "bio": pen_name.bio,
    }


def byline_out(ctx: Context, byline: ArticleByline) -> dict:
    pen_name = byline.pen_name
    return {
        "id": pen_name.pk,
        "name": pen_name.name,
        "slug": pen_name.slug,
        "url": ctx.pen_name_url(pen_name.slug),
        "role": byline.role,
        "role_label": BYLINE_ROLES.get(byline.role, byline.role),
    }


@functools.cache
def _filter(spec: str) -> Filter:
    """One Filter per spec for the process: Wagtail parses a spec's operations once per
    Filter object, and that parsing was most of a story list's time."""
    return Filter(spec=spec)


def image_out(ctx: Context, photo: Photo, specs, *, caption: str, credit: str) -> dict:
    """A photo with its renditions: each with its own width, height, format and URL."""
    renditions = photo.get_renditions(*(_filter(spec) for spec in specs))
    return {
        "id": photo.pk,
        "caption": caption,
        "credit": credit,
        "alt": caption or photo.alt_text,
        "width": photo.width,
        "height": photo.height,
        "renditions": [
            rendition_out(ctx, spec, renditions[spec]) for spec in specs if spec in renditions
        ],
    }


def rendition_out(ctx: Context, spec: str, rendition) -> dict:
    fmt = next((part[7:] for part in spec.split("|") if part.startswith("format-")), "")
    if not fmt:
        fmt = rendition.file.name.rsplit(".", 1)[-1].lower().replace("jpg", "jpeg")
    return {
        "url": ctx.absolute(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "format": fmt,
        "mime_type": MIME_TYPES.get(fmt, f"image/{fmt}"),
        "filter_spec": spec,
    }


def _local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment)


def get_story(story_id: int) -> ArticlePage:
    story = (
        with_cover(public_stories().filter(pk=story_id), *DETAIL_RENDITIONS)
        .select_related("locale")
        .first()
    )
    if story is None:
        raise ApiError(
            404,
            "not_found",
            "Không có bài viết này, hoặc bài chưa được xuất bản.",
            "No such story, or it is not published.",
        )
    return story


def story_detail(ctx: Context, story: ArticlePage) -> dict:
    bylines = list(story.bylines.select_related("pen_name").order_by("sort_order"))
    topics = list(Topic.objects.filter(tagged_articles__content_object=story).order_by("name"))
    data = story_summary(ctx, story, bylines, topics, DETAIL_RENDITIONS)
    related = story.related_stories()
    public_ids = set(
        public_stories().filter(pk__in=[r.pk for r in related]).values_list("pk", flat=True)
    )
    data.update(
        body_html=body_html(ctx, story),
        seo_title=story.seo_title,
        search_description=story.search_description,
        corrections=[
            {
                "corrected_at": _local(block.value["corrected_at"]),
                "text": block.value["text"],
            }
            for block in story.corrections
        ],
        related=[
            {
                "id": other.pk,
                "title": other.title,
                "url": other.get_full_url(ctx.request) or "",
                "api_url": ctx.api(f"stories/{other.pk}"),
            }
            for other in related
            if other.pk in public_ids
        ],
    )
    return data
