"""What the API publishes about stories, sections, topics and pen names, as plain data.

Each serialiser names its fields one by one: nothing reaches a partner by accident (no draft
titles, staff accounts, real names of outside contributors, revision notes or comments).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from wagtail.models import Page

from toasoan.core.text import short_datetime
from toasoan.newsroom.models import (
    ArticleByline,
    ArticleKind,
    ArticlePage,
    ArticleTopic,
    PenName,
    Photo,
    PhotoRendition,
    Topic,
    with_cover,
)
from toasoan.newsroom.sizes import shown_sizes

from .body import body_html
from .errors import ApiError
from .lookups import Context, public_stories

# The API's own sizes, its published contract (docs/api.md): not the site's, which follow its
# layout (newsroom.pictures) and may change with it.
LISTING_RENDITIONS = (
    "fill-320x200|format-webp",
    "fill-320x200|format-jpeg",
    "fill-640x400|format-webp",
    "fill-640x400|format-jpeg",
)
DETAIL_RENDITIONS = LISTING_RENDITIONS + ("width-1200|format-webp", "width-1200|format-jpeg")
MIME_TYPES = {"webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png", "avif": "image/avif"}
BYLINE_ROLES = dict(ArticleByline._meta.get_field("role").choices)
KIND_LABELS = dict(ArticleKind.choices)
# What a story summary reads (loading whole pages costs more than the query itself).
SUMMARY_FIELDS = (
    "id", "path", "depth", "url_path", "slug", "title", "locale_id", "live",
    "first_published_at", "last_published_at", "kind", "lead_prefix", "sapo",
    "cover_image", "is_breaking",
)  # fmt: skip


# --- pages of stories: two queries for the page, two for its bylines and topics ----------
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
        "url": ctx.absolute(story.get_url(ctx.request)),
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
        "section": section_ref(ctx, section) if section else None,
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


# --- sections, topics, pen names, bylines -------------------------------------------------
def section_ref(ctx: Context, section: dict) -> dict:
    return {**{key: section[key] for key in ("id", "title", "slug")}, "url": _url(ctx, section)}


def section_out(ctx: Context, section: dict) -> dict:
    return {
        **{key: section[key] for key in ("id", "title", "slug")},
        "url": _url(ctx, section),
        **{key: section[key] for key in ("intro", "parent_id", "level")},
    }


def _url(ctx: Context, section: dict) -> str:
    return ctx.absolute(section["url"])


def _listed(ctx: Context, route: str, item: Topic | PenName) -> dict:
    """A topic or a pen name as every answer shows it: id, name, slug, its public page."""
    return {
        "id": item.pk,
        "name": item.name,
        "slug": item.slug,
        "url": ctx.listing_url(route, item.slug),
    }


def topic_out(ctx: Context, topic: Topic) -> dict:
    return _listed(ctx, "topic", topic)


def pen_name_out(ctx: Context, pen_name: PenName) -> dict:
    """Only the public face of a pen name: never the staff account or the real name."""
    return {**_listed(ctx, "pen_name", pen_name), "bio": pen_name.bio}


def byline_out(ctx: Context, byline: ArticleByline) -> dict:
    return {
        **_listed(ctx, "pen_name", byline.pen_name),
        "role": byline.role,
        "role_label": BYLINE_ROLES.get(byline.role, byline.role),
    }


# --- photos ---------------------------------------------------------------------------------
def image_out(ctx: Context, photo: Photo, specs, *, caption: str, credit: str) -> dict:
    """A photo with its renditions: each with its own width, height, format and URL."""
    # Only sizes already made (newsroom.sizes): the missing ones are queued and listed later.
    renditions = shown_sizes(photo, tuple(specs))[0]
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


# --- one story, with its body ---------------------------------------------------------------
def _local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment)


def load_story(story_id: int) -> ArticlePage:
    """One public story with what its detail shows (cover renditions, locale), or the 404."""
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
                "url": ctx.absolute(other.get_url(ctx.request)),
                "api_url": ctx.api(f"stories/{other.pk}"),
            }
            for other in related
            if other.pk in public_ids
        ],
    )
    return data
