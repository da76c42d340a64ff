"""Cursor pages: stories on (first_published_at, id), topics and pen names on their slug.

Cursors are opaque to partners (base64 of a versioned position), so the position can change
shape later without breaking a client that follows `next`.
"""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from toasoan.core.addresses import public_url
from toasoan.newsroom.models import ArticlePage

from .errors import bad_parameter
from .filters import YEARS


def next_url(request, **changes) -> str:
    params = {k: v for k, v in request.GET.items() if k not in changes}
    params.update({k: v for k, v in changes.items() if v is not None})
    return public_url(request.path + "?" + urlencode(params), request)


def _malformed():
    return bad_parameter(
        "cursor",
        "con trỏ trang không đúng; hãy dùng next_cursor của trang trước.",
        "malformed cursor; use next_cursor from the previous page.",
    )


# --- stories: (first_published_at, id), newest first --------------------------------------
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
        raise _malformed() from None


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


# --- topics and pen names: by slug ----------------------------------------------------------
def decode_slug_cursor(cursor: str | None) -> str | None:
    """The slug a topic or pen-name cursor points after (None: from the start)."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        version, slug = base64.urlsafe_b64decode(padded.encode()).decode().split(":", 1)
        if version != "s1":
            raise ValueError(version)
        return slug
    except (ValueError, UnicodeError, binascii.Error):
        raise _malformed() from None


def slug_page(request, queryset, cursor: str | None, limit: int, serialise) -> dict:
    """One page of topics or pen names in slug order, after the cursor, as the API answers it."""
    after = decode_slug_cursor(cursor)
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
        "next": next_url(request, cursor=next_cursor) if next_cursor else None,
    }
