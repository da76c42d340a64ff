"""The endpoints under /api/: thin functions over lookups, filters, cursors and serialisers,
search and readership."""

from __future__ import annotations

from math import ceil
from typing import Annotated, Literal

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import Query
from ninja import Schema as _Schema
from pydantic import Field, StringConstraints
from wagtail.models import Site

from toasoan.core.addresses import public_url
from toasoan.editions.paper import paper_of_site
from toasoan.newsroom.models import ArticleByline, ArticleTopic, PenName, Topic
from toasoan.readership.counting import flush
from toasoan.readership.counting import most_read as ranked
from toasoan.search import engine
from toasoan.search.query import parse

from . import schemas
from .cursors import next_url, page_after, slug_page
from .filters import MAX_LIMIT, StoryFilters, Text, filtered_stories, parse_moment
from .http import build_api, method_not_allowed, no_such_address
from .lookups import Context, find_section, public_stories
from .ninjs import ninjs_document
from .serialisers import (
    for_listing,
    load_story,
    load_summaries,
    pen_name_out,
    section_out,
    story_detail,
    topic_out,
)

api = build_api()

ERRORS = {
    400: schemas.ErrorOut,
    401: schemas.ErrorOut,
    429: schemas.ErrorOut,
}
NOT_MODIFIED = {304: None}
StoryId = Annotated[int, Field(ge=1, le=2**53 - 1, description="The story's stable id")]


# --- stories ------------------------------------------------------------------------------
@api.get(
    "/stories",
    response={200: schemas.StoryPage, **NOT_MODIFIED, **ERRORS},
    tags=["stories"],
    summary="Published stories, newest first",
)
def list_stories(request, filters: Query[StoryFilters]):
    """Bài viết đã xuất bản, mới nhất trước; lọc theo chuyên mục, chủ đề, bút danh, ấn bản,
    thể loại và khoảng ngày. Cursor pagination on (first_published_at, id)."""
    ctx = Context(request)
    queryset = filtered_stories(ctx, filters)
    rows, next_cursor = page_after(for_listing(queryset), filters.cursor, filters.limit)
    return {
        "items": load_summaries(ctx, rows),
        "limit": filters.limit,
        "next_cursor": next_cursor,
        "next": next_url(request, cursor=next_cursor) if next_cursor else None,
    }


@api.get(
    "/stories/{story_id}",
    response={200: schemas.StoryDetail, **NOT_MODIFIED, 404: schemas.ErrorOut, **ERRORS},
    tags=["stories"],
    summary="One story, with its body",
)
def get_story(request, story_id: StoryId):
    """Một bài viết: nội dung HTML đã làm sạch, đính chính, bài liên quan."""
    return story_detail(Context(request), load_story(story_id))


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
    story = load_story(story_id)
    detail = story_detail(Context(request), story)
    paper = paper_of_site(Site.find_for_request(request)).name
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
    ctx = Context(request)
    return {"items": [section_out(ctx, s) for s in ctx.map["sections"].values()]}


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
    public = public_stories().values("pk")
    used = ArticleTopic.objects.filter(tag=OuterRef("pk"), content_object__in=public)
    return _by_slug(request, params, Topic.objects.filter(Exists(used)), topic_out)


@api.get(
    "/pen-names",
    response={200: schemas.PenNamePage, **NOT_MODIFIED, **ERRORS},
    tags=["pen names"],
    summary="Pen names with published stories, by slug",
)
def list_pen_names(request, params: Query[PageParams]):
    """Bút danh có ít nhất một bài đã xuất bản (không bao giờ kèm tên thật hay tài khoản)."""
    public = public_stories().values("pk")
    used = ArticleByline.objects.filter(pen_name=OuterRef("pk"), page__in=public)
    pen_names = PenName.objects.filter(Exists(used)).only("id", "name", "slug", "bio")
    return _by_slug(request, params, pen_names, pen_name_out)


def _by_slug(request, params: PageParams, rows, out):
    """A page of topics or pen names in slug order, each as `out(ctx, row)` shows it."""
    ctx = Context(request)
    return slug_page(request, rows, params.cursor, params.limit, lambda row: out(ctx, row))


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
    ctx = Context(request)
    section = find_section(ctx, params.section) if params.section else None
    date_from = date_to = None
    if params.date_from:
        date_from = parse_moment("date_from", params.date_from, end=False).date()
    if params.date_to:
        date_to = parse_moment("date_to", params.date_to, end=False).date()
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
    found = {story.pk: story for story in for_listing(public_stories().filter(pk__in=hits.ids))}
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
        "next": next_url(request, page=str(page + 1)) if has_next else None,
        "items": load_summaries(ctx, ordered),
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
    ctx = Context(request)
    scope = find_section(ctx, params.section)["path"] if params.section else ctx.map["home_path"]
    if cache.add("api:most-read:flushed", 1, 60):  # views summed in Redis: once a minute
        flush()
    top = ranked(scope, params.window, params.limit)
    views = {story.pk: story.views for story in top}
    found = {story.pk: story for story in for_listing(public_stories().filter(pk__in=list(views)))}
    ordered = [found[story.pk] for story in top if story.pk in found]
    summaries = load_summaries(ctx, ordered)
    return {
        "window": params.window,
        "items": [{"views": views[summary["id"]], "story": summary} for summary in summaries],
    }


@csrf_exempt
def index(request):
    """`/api/`: where things are."""
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed(api, request, ["GET", "HEAD"])

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


@csrf_exempt
def unmatched(request):
    """Any other address under /api/, whatever the method: the API's JSON 404."""
    return no_such_address(api, request)
