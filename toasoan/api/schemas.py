"""The shapes of the API's answers; they are also its OpenAPI description (/api/openapi.json).

Review rule: a field is added here only if a reader of the public site can already see it.
Ninja drops any key a view returns that is not declared here. Plain pydantic models (not
ninja's Schema, which wraps every nested object for ORM access) keep serialising cheap.
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class Out(BaseModel):
    """Base of every answer."""


class FieldError(Out):
    name: str
    vi: str
    en: str


class ErrorOut(Out):
    """Every error: a machine code and the message in Vietnamese and English."""

    code: str = Field(examples=["rate_limited"])
    detail: str = Field(description="`vi / en`, for people reading logs")
    vi: str
    en: str
    retry_after: int | None = Field(None, description="Seconds to wait (429 only)")
    fields: list[FieldError] | None = None


class Rendition(Out):
    url: str = Field(description="Absolute URL of the image file")
    width: int
    height: int
    format: str = Field(examples=["webp", "jpeg"])
    mime_type: str = Field(examples=["image/webp"])
    filter_spec: str = Field(examples=["fill-640x400|format-webp"])


class Image(Out):
    id: int
    caption: str
    credit: str
    alt: str
    width: int = Field(description="Width of the original")
    height: int = Field(description="Height of the original")
    renditions: list[Rendition]


class SectionRef(Out):
    id: int
    title: str
    slug: str
    url: str


class Section(SectionRef):
    intro: str
    parent_id: int | None = Field(description="The parent section, or null at the top level")
    level: int = Field(description="1 for a top-level section, 2 for a subsection…")


class Listed(Out):
    """A topic or a pen name as every answer shows it: id, name, slug, its public page."""

    id: int
    name: str
    slug: str
    url: str


class Topic(Listed):
    pass


class PenName(Listed):
    bio: str


class Byline(Listed):
    id: int = Field(description="The pen name's id")
    role: str = Field(examples=["viet"])
    role_label: str = Field(examples=["Viết bài"])


class StorySummary(Out):
    id: int = Field(description="Stable id; also the number at the end of the story's URL")
    url: str = Field(description="Canonical absolute URL of the story on the paper's site")
    api_url: str
    ninjs_url: str
    title: str
    kind: str = Field(examples=["tin"])
    kind_label: str = Field(examples=["Tin"])
    lead_prefix: str = Field(examples=["(QNO)"])
    sapo: str
    lead: str = Field(description="The sapo as printed, with its prefix: “(QNO) - …”")
    first_published_at: datetime
    last_published_at: datetime
    published_display: str = Field(examples=["22/12/2021 10:01"])
    updated: bool = Field(description="Republished more than ten minutes after publication")
    is_breaking: bool
    edition: str = Field(description="Language code of the edition", examples=["vi"])
    section: SectionRef | None
    bylines: list[Byline]
    topics: list[Topic]
    cover: Image | None


class Correction(Out):
    corrected_at: datetime | None
    text: str


class RelatedStory(Out):
    id: int
    title: str
    url: str
    api_url: str


class StoryDetail(StorySummary):
    body_html: str = Field(description="Sanitised HTML with absolute links and image sizes")
    seo_title: str
    search_description: str
    corrections: list[Correction]
    related: list[RelatedStory]


class StoryPage(Out):
    items: list[StorySummary]
    limit: int
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )
    next: str | None = Field(description="The next page's full URL; null at the end")


class SectionList(Out):
    items: list[Section]


class TopicPage(Out):
    items: list[Topic]
    limit: int
    next_cursor: str | None
    next: str | None


class PenNamePage(Out):
    items: list[PenName]
    limit: int
    next_cursor: str | None
    next: str | None


class SearchResults(Out):
    query: str = Field(description="The query as understood (cleaned, shortened)")
    total: int = Field(description="Matching stories, counted up to max_results")
    more_than_max: bool
    max_results: int
    page: int
    page_size: int
    next: str | None
    items: list[StorySummary]


class MostReadItem(Out):
    views: int = Field(description="Counted views in the window")
    story: StorySummary


class MostRead(Out):
    window: str = Field(examples=["24h"])
    items: list[MostReadItem]


NinjsDocument = dict[str, Any]
