"""The endpoints under /api/: thin functions over stories.py, search and readership."""

from __future__ import annotations

import base64
import binascii
from math import ceil
from typing import Annotated, Literal
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from ninja import Query
from ninja import Schema as _Schema
from pydantic import Field, StringConstraints
from wagtail.models import Site

from toasoan.core.addresses import public_url
from toasoan.core.models import PaperSettings
from toasoan.newsroom.models import ArticleByline, ArticleKind, ArticleTopic, PenName, Topic
from toasoan.readership.counting import flush
from toasoan.readership.counting import most_read as ranked
from toasoan.search import engine
from toasoan.search.query import parse

from . import schemas, stories
from .errors import bad_parameter
from .http import build_api
from .ninjs import ninjs_document

api = build_api()

ERRORS = {
    400: schemas.ErrorOut,
    401: schemas.ErrorOut,
    429: schemas.ErrorOut,
}
NOT_MODIFIED = {304: None}
MAX_LIMIT = 100
KINDS = tuple(ArticleKind.values)
# Words from the query string: bounded, and never a control character (PostgreSQL refuses NUL).
Text = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]
StoryId = Annotated[int, Field(ge=1, le=2**53 - 1, description="The story's stable id")]


def _ctx(request) -> stories.Context:
    return stories.Context(request)


def _next_url(request, **changes) -> str:
    params = {k: v for k, v in request.GET.items() if k not in changes}
    params.update({k: v for k, v in changes.items() if v is not None})
    return public_url(request.path + "?" + urlencode(params), request)


# --- stories ------------------------------------------------------------------------------
class StoryFilters(_Schema):
    section: Text | None = Field(None, description="Section id or slug; includes subsections")
    topic: Text | None = Field(None, description="Topic id or slug")
    pen_name: Text | None = Field(None, description="Pen name id or slug")
    edition: Text | None = Field(None, description="Edition language code, e.g. `vi`")
    kind: Literal[KINDS] | None = Field(None, description="Kind of story")  # type: ignore[valid-type]
    date_from: Text | None = Field(
        None, description="Published on or after: `dd/mm/yyyy`, `yyyy-mm-dd` or ISO date-time"
    )
    date_to: Text | None = Field(
        None, description="Published on or before (a whole day when a date is given)"
    )
    cursor: Text | None = Field(None, description="`next_cursor` of the previous page")
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description="Stories per page (1–100)")


@api.get(
    "/stories",
    response={200: schemas.StoryPage, **NOT_MODIFIED, **ERRORS},
    tags=["stories"],
    summary="Published stories, newest first",
)
def list_stories(request, filters: Query[StoryFilters]):
    """Bài viết đã xuất bản, mới nhất trước; lọc theo chuyên mục, chủ đề, bút danh, ấn bản,
    thể loại và khoảng ngày. Cursor pagination on (first_published_at, id)."""
    ctx = _ctx(request)
    queryset = stories.filtered_stories(
        ctx,
        stories.StoryFilters(
            section=filters.section,
            topic=filters.topic,
            pen_name=filters.pen_name,
            edition=filters.edition,
            kind=filters.kind,
            date_from=filters.date_from,
            date_to=filters.date_to,
        ),
    )
    rows, next_cursor = stories.page_after(
        stories.for_listing(queryset), filters.cursor, filters.limit
    )
    return {
        "items": stories.load_summaries(ctx, rows),
        "limit": filters.limit,
        "next_cursor": next_cursor,
        "next": _next_url(request, cursor=next_cursor) if next_cursor else None,
    }


@api.get(
    "/stories/{story_id}",
    response={200: schemas.StoryDetail, **NOT_MODIFIED, 404: schemas.ErrorOut, **ERRORS},
    tags=["stories"],
    summary="One story, with its body",
)
def get_story(request, story_id: StoryId):
    """Một bài viết: nội dung HTML đã làm sạch, đính chính, bài liên quan."""
    ctx = _ctx(request)
    return stories.story_detail(ctx, stories.get_story(story_id))


@api.get(
    "/stories/{story_id}/ninjs",
    response={200: schemas.NinjsDocument, **NOT_MODIFIED, 404: schemas.ErrorOut, **ERRORS},
    tags=["stories"],
    summary="One story as IPTC ninjs 3.1",
    openapi_extra={
        "externalDocs": {
            "description": "IPTC ninjs 3.1 JSON schema",
            "url": "https://iptc.org/standards/ninjs/",
        }
    },
)
def get_story_ninjs(request, story_id: StoryId):
    """Bài viết theo chuẩn IPTC ninjs 3.1 (News in JSON)."""
    ctx = _ctx(request)
    story = stories.get_story(story_id)
    detail = stories.story_detail(ctx, story)
    site = Site.find_for_request(request)
    paper = PaperSettings.for_site(site).name if site else ""
    years = {}
    if story.cover_image:
        years[story.cover_image.pk] = story.cover_image.created_at.year
    return ninjs_document(detail, paper_name=paper or "Toà Soạn", photo_years=years)


# --- sections, topics, pen names ------------------------------------------------------------
@api.get(
    "/sections",
    response={200: schemas.SectionList, **NOT_MODIFIED, **ERRORS},
    tags=["sections"],
    summary="Sections and subsections, in menu order",
)
def list_sections(request):
    """Chuyên mục và chuyên mục con đang xuất bản, theo thứ tự trên trang."""
    ctx = _ctx(request)
    return {"items": [stories.section_out(ctx, s) for s in ctx.map["sections"].values()]}


def _slug_cursor(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        version, slug = base64.urlsafe_b64decode(padded.encode()).decode().split(":", 1)
        if version != "s1":
            raise ValueError(version)
        return slug
    except (ValueError, UnicodeError, binascii.Error):
        raise bad_parameter(
            "cursor",
            "con trỏ trang không đúng; hãy dùng next_cursor của trang trước.",
            "malformed cursor; use next_cursor from the previous page.",
        ) from None


def _slug_page(request, queryset, cursor: str | None, limit: int, serialise):
    after = _slug_cursor(cursor)
    if after is not None:
        queryset = queryset.filter(slug__gt=after)
    rows = list(queryset.order_by("slug")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        next_cursor = base64.urlsafe_b64encode(f"s1:{rows[-1].slug}".encode()).decode()
        next_cursor = next_cursor.rstrip("=")
    return {
        "items": [serialise(row) for row in rows],
        "limit": limit,
        "next_cursor": next_cursor,
        "next": _next_url(request, cursor=next_cursor) if next_cursor else None,
    }


class PageParams(_Schema):
    cursor: Text | None = Field(None, description="`next_cursor` of the previous page")
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Items per page (1–100)")


@api.get(
    "/topics",
    response={200: schemas.TopicPage, **NOT_MODIFIED, **ERRORS},
    tags=["topics"],
    summary="Topics of published stories, by slug",
)
def list_topics(request, params: Query[PageParams]):
    """Chủ đề có ít nhất một bài đã xuất bản."""
    ctx = _ctx(request)
    public = stories.public_stories().values("pk")
    used = ArticleTopic.objects.filter(tag=OuterRef("pk"), content_object__in=public)
    topics = Topic.objects.filter(Exists(used))
    return _slug_page(
        request, topics, params.cursor, params.limit, lambda t: stories.topic_out(ctx, t)
    )


@api.get(
    "/pen-names",
    response={200: schemas.PenNamePage, **NOT_MODIFIED, **ERRORS},
    tags=["pen names"],
    summary="Pen names with published stories, by slug",
)
def list_pen_names(request, params: Query[PageParams]):
    """Bút danh có ít nhất một bài đã xuất bản (không bao giờ kèm tên thật hay tài khoản)."""
    ctx = _ctx(request)
    public = stories.public_stories().values("pk")
    used = ArticleByline.objects.filter(pen_name=OuterRef("pk"), page__in=public)
    pen_names = PenName.objects.filter(Exists(used)).only("id", "name", "slug", "bio")
    return _slug_page(
        request, pen_names, params.cursor, params.limit, lambda p: stories.pen_name_out(ctx, p)
    )


# --- search and most read ---------------------------------------------------------------------
class SearchParams(_Schema):
    q: Annotated[str, StringConstraints(min_length=1, max_length=500)] = Field(
        ..., description="Words; “quoted phrases”"
    )
    section: Text | None = Field(None, description="Section id or slug")
    date_from: Text | None = Field(None, description="`dd/mm/yyyy` or ISO date")
    date_to: Text | None = Field(None, description="`dd/mm/yyyy` or ISO date (inclusive)")
    sort: Literal["relevance", "newest"] = "relevance"
    page: int = Field(1, ge=1, le=1000)
    limit: int = Field(20, ge=1, le=50)


@api.get(
    "/search",
    response={200: schemas.SearchResults, **NOT_MODIFIED, **ERRORS},
    tags=["search"],
    summary="Search published stories",
)
def search(request, params: Query[SearchParams]):
    """Tìm bài: không dấu vẫn ra có dấu (“da nang” → “Đà Nẵng”); gõ có dấu thì bài khớp
    đúng dấu lên trước. Page-numbered (ranked results have no stable cursor)."""
    ctx = _ctx(request)
    section = stories.find_section(ctx, params.section) if params.section else None
    date_from = date_to = None
    if params.date_from:
        date_from = stories.parse_moment("date_from", params.date_from, end=False).date()
    if params.date_to:
        date_to = stories.parse_moment("date_to", params.date_to, end=False).date()
    query = parse(params.q)
    filters = engine.Filters(
        section_path=section["path"] if section else "", date_from=date_from, date_to=date_to
    )
    last_page = ceil(engine.MAX_RESULTS / params.limit)
    page = min(params.page, last_page)
    hits = engine.search(
        query,
        filters,
        newest=params.sort == "newest",
        offset=(page - 1) * params.limit,
        limit=params.limit,
    )
    found = {
        story.pk: story
        for story in stories.for_listing(stories.public_stories().filter(pk__in=hits.ids))
    }
    ordered = [found[pk] for pk in hits.ids if pk in found]
    total = min(hits.total, engine.MAX_RESULTS)
    has_next = page * params.limit < total
    return {
        "query": query.text,
        "total": total,
        "more_than_max": hits.total > engine.MAX_RESULTS,
        "max_results": engine.MAX_RESULTS,
        "page": page,
        "page_size": params.limit,
        "next": _next_url(request, page=str(page + 1)) if has_next else None,
        "items": stories.load_summaries(ctx, ordered),
    }


class MostReadParams(_Schema):
    window: Literal["24h", "7d"] = Field("24h", description="The last 24 hours or 7 days")
    section: Text | None = Field(None, description="Section id or slug (default: the whole paper)")
    limit: int = Field(10, ge=1, le=50)


@api.get(
    "/most-read",
    response={200: schemas.MostRead, **NOT_MODIFIED, **ERRORS},
    tags=["most read"],
    summary="Most read stories in the last 24 hours or 7 days",
)
def most_read(request, params: Query[MostReadParams]):
    """Đọc nhiều: bài được đọc nhiều nhất trong 24 giờ hoặc 7 ngày qua."""
    ctx = _ctx(request)
    if params.section:
        scope = stories.find_section(ctx, params.section)["path"]
    else:
        scope = ctx.map["home_path"]
    if cache.add("api:most-read:flushed", 1, 60):  # views summed in Redis: once a minute
        flush()
    top = ranked(scope, params.window, params.limit)
    views = {story.pk: story.views for story in top}
    found = {
        story.pk: story
        for story in stories.for_listing(stories.public_stories().filter(pk__in=list(views)))
    }
    ordered = [found[story.pk] for story in top if story.pk in found]
    summaries = stories.load_summaries(ctx, ordered)
    return {
        "window": params.window,
        "items": [{"views": views[summary["id"]], "story": summary} for summary in summaries],
    }


def index(request):
    """`/api/`: where things are."""

    def absolute(path: str) -> str:
        return public_url(path, request)

    return JsonResponse(
        {
            "name": "Toà Soạn — API nội dung / Content API",
            "version": "1.0",
            "docs": absolute("/api/docs"),
            "openapi": absolute("/api/openapi.json"),
            "endpoints": {
                name: absolute(f"/api/{name}")
                for name in ("stories", "sections", "topics", "pen-names", "search", "most-read")
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )
