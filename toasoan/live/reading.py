"""What readers get: the page (pinned entry, key events, entries by page, JSON-LD) and the
time-bucketed update feed its script polls.

The update address names a time bucket (`/truc-tiep/<blog>/<bucket>.json`, one bucket every
BUCKET_SECONDS): every reader polling in the same bucket asks for the same URL, so browsers
and any cache keyed on the URL hold one copy per bucket. The nginx micro-cache (deploy/nginx/)
keeps one copy per blog for a bucket's length (X-Accel-Expires), then refreshes it in the
background while readers get the previous one: at most one request per blog per bucket
reaches the app, and no reader waits for it. A bucket still to come is refused uncached
(nobody can fill the cache ahead), one long past too (a reader's clock is that far off:
its script sets it again from the answer's Date header). Readers start polling a bucket
1.5–3.5 s after it begins (live.js), so an entry reaches them within about two buckets.
"""

import json
import math
import time

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from toasoan.comments.text import render as render_text
from toasoan.core.changes import kept
from toasoan.core.paging import page_of
from toasoan.newsroom.workflow import display_name
from toasoan.syndication.metadata import absolute, iso, json_ld, publisher

from .models import EntryStatus, LiveBlogPage, LiveEntry

BUCKET_SECONDS = 5  # the update URL changes this often; readers poll as often
PAST_BUCKETS = 12  # how far back a bucket is still answered (a minute)
WINDOW = 30  # the entries changed most recently that an update carries
PAGE_SIZE = 20
JSON_LD_UPDATES = 10
ENTRY_HTML_SECONDS = 60 * 60
UPDATES_SECONDS = 10 * 60
# What an update's key needs (the rest is read only when the answer is built)
FEED_FIELDS = ("id", "path", "version", "coverage_start", "coverage_end", "last_published_at")


def bucket_now(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // BUCKET_SECONDS)


def published(blog: LiveBlogPage):
    return (
        LiveEntry.objects.filter(blog=blog, status=EntryStatus.PUBLISHED)
        .select_related("author", "question", "photo")
        .order_by("-published_at", "-pk")
    )


def entry_context(entry: LiveEntry, blog: LiveBlogPage) -> dict:
    question = entry.question if entry.question_id else None
    return {
        "entry": entry,
        "blog": blog,
        # comments.text escapes the text, then nh3 lets only <p>, <br> and web links through
        "html": mark_safe(render_text(entry.text)),  # noqa: S308
        "question_html": mark_safe(render_text(question.text)) if question else "",  # noqa: S308
    }


def _page_version(blog: LiveBlogPage) -> int:
    """The page's own fields (title, guest names) change only when it is published."""
    return int(blog.last_published_at.timestamp()) if blog.last_published_at else 0


def render_entry(entry: LiveEntry, blog: LiveBlogPage) -> str:
    """An entry's HTML, rendered once per version of it (and of the page, whose guest names
    an answer shows): an update carries WINDOW entries, usually one of them new."""
    key = f"live:entry:{entry.pk}:{entry.version}:{_page_version(blog)}"
    return kept(
        key,
        lambda: render_to_string("live/entry.html", entry_context(entry, blog)),
        ENTRY_HTML_SECONDS,
    )


def render_key_events(blog: LiveBlogPage) -> str:
    keys = published(blog).filter(is_key_event=True).exclude(title="")
    html = render_to_string("live/key_events.html", {"key_events": keys})
    return mark_safe(html.strip())  # noqa: S308 - our template's output; empty when none


def update_url(blog: LiveBlogPage) -> str:
    """The update URL with the bucket left as `0` (the script puts the bucket there)."""
    return reverse("live:updates", args=[blog.pk, 0])


def page_context(blog: LiveBlogPage, request: HttpRequest) -> dict:
    entries = published(blog)
    pinned = entries.filter(is_pinned=True).first()
    paged = page_of(request, entries.filter(is_pinned=False), PAGE_SIZE)
    state = blog.state()
    return {
        "live_state": state,
        "pinned": pinned and entry_context(pinned, blog),
        "entries": [entry_context(e, blog) for e in paged.object_list],
        "paged": paged,
        "key_events_html": render_key_events(blog),
        "polls_updates": state != "ended" and paged.number == 1,
        "update_url": update_url(blog),
        "bucket_seconds": BUCKET_SECONDS,
        "server_now": int(time.time() * 1000),
        "live_json_ld": json_ld(live_blog_posting(blog, request)),
    }


def live_blog_posting(blog: LiveBlogPage, request: HttpRequest) -> dict:
    """schema.org LiveBlogPosting with its latest updates (reader contacts never in it)."""
    url = absolute(request, blog.get_url(request))
    entries = list(published(blog)[:JSON_LD_UPDATES])
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": blog.title,
        "description": blog.summary,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": "vi",
        "datePublished": iso(blog.first_published_at),
        "dateModified": iso(
            max([e.updated_at or e.published_at for e in entries], default=None)
            or blog.last_published_at
        ),
        "coverageStartTime": iso(blog.coverage_start or blog.first_published_at),
        "publisher": publisher(request),
        "liveBlogUpdate": [_blog_posting(e, url) for e in entries],
    }
    if blog.coverage_end:
        data["coverageEndTime"] = iso(blog.coverage_end)
    return data


def _blog_posting(entry: LiveEntry, url: str) -> dict:
    body = entry.text
    if entry.question_id:
        body = f"{entry.question.name} hỏi: {entry.question.text}\n\nTrả lời: {entry.text}"
    return {
        "@type": "BlogPosting",
        "headline": (entry.title or " ".join(body.split()))[:110],
        "articleBody": body,
        "url": f"{url}#muc-{entry.pk}",
        "datePublished": iso(entry.published_at),
        "dateModified": iso(entry.updated_at or entry.published_at),
        "author": {"@type": "Person", "name": display_name(entry.author)},
    }


def updates(blog: LiveBlogPage) -> dict:
    """What changed lately: the WINDOW entries with the highest versions, each with its
    HTML (or `gone`), the pinned entry's id, the key events and the state."""
    changed = list(
        LiveEntry.objects.filter(blog=blog, version__gt=0)
        .select_related("author", "question", "photo")
        .order_by("-version")[:WINDOW]
    )
    pinned = next((e.pk for e in changed if e.is_pinned and e.is_published), None)
    if pinned is None:
        pinned = published(blog).filter(is_pinned=True).values_list("pk", flat=True).first()
    items = []
    for entry in changed:
        item = {"id": entry.pk, "v": entry.version, "gone": not entry.is_published}
        if entry.is_published:
            item["t"] = int(entry.published_at.timestamp())
            item["html"] = render_entry(entry, blog)
        items.append(item)
    return {
        "v": blog.version,
        "state": blog.state(),
        "floor": changed[-1].version if len(changed) == WINDOW else 0,
        "pinned": pinned,
        "entries": items,
        "keys": render_key_events(blog),
    }


def keep_seconds(now: float | None = None) -> int:
    """How long nginx keeps the blog's one copy (deploy/nginx/toasoan.conf): to the end of
    the current bucket, so it is refreshed (in the background) once per bucket. Relative
    seconds, rounded up, and the next bucket's end when this one ends within a second: an
    answer never arrives already stale, and the app's own cached copy of a bucket, handed
    out again, can only make nginx keep it a bucket longer, never not at all."""
    now = time.time() if now is None else now
    end = (int(now // BUCKET_SECONDS) + 1) * BUCKET_SECONDS
    if end - now < 1:
        end += BUCKET_SECONDS
    return math.ceil(end - now)


def _refused(message: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=404)
    response["Cache-Control"] = "no-store"
    return response


def updates_body(blog: LiveBlogPage) -> bytes:
    """`updates(blog)` as JSON, built once per version of the blog (every change readers
    must see takes one), its state and its page: each bucket's URL is new to the app, but
    its answer is the same bytes until the desk changes something, so refreshing nginx's
    copy costs a row read and a cache lookup, not the queries and templates of a render."""
    key = f"live:updates:{blog.pk}:{blog.version}:{blog.state()}:{_page_version(blog)}"
    return kept(
        key,
        lambda: json.dumps(updates(blog), ensure_ascii=False).encode(),
        UPDATES_SECONDS,
    )


def feed_blog(blog_id: int) -> LiveBlogPage | None:
    """The blog if readers may see it, with the few columns an update's key needs."""
    return LiveBlogPage.objects.live().public().filter(pk=blog_id).only(*FEED_FIELDS).first()


def updates_view(request: HttpRequest, blog_id: int, bucket: int) -> HttpResponse:
    current = bucket_now()
    if bucket > current or bucket < current - PAST_BUCKETS:
        return _refused("Sai mốc thời gian.")
    blog = feed_blog(blog_id)
    if blog is None:
        raise Http404("Không có trang trực tiếp này")
    response = HttpResponse(updates_body(blog), content_type="application/json")
    response["X-Accel-Expires"] = str(keep_seconds())
    response["X-Content-Type-Options"] = "nosniff"
    return response
