"""The story list's filters (`/api/stories`): one `StoryFilters`, which is both the query
parameters Ninja reads and documents (/api/openapi.json) and what `filtered_stories()` applies.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import Field, StringConstraints

from toasoan.newsroom.models import ArticleKind

from .errors import bad_parameter
from .lookups import Context, find_edition, find_pen_name, find_section, find_topic, public_stories

MAX_LIMIT = 100
KINDS = tuple(ArticleKind.values)
# Words from the query string: bounded, and never a control character (PostgreSQL refuses NUL).
Text = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")]


# The query parameters of /api/stories (cursor and limit choose the page; the rest filter).
class StoryFilters(Schema):
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


def filtered_stories(ctx: Context, filters: StoryFilters):
    """The public stories the filters ask for; a bad value is a 400 naming its parameter."""
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
