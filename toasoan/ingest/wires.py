"""The wire queue ("Tin nguồn"): agency and partner stories in, editors' drafts out.

`poll_due()` visits every source whose time has come: an RSS/Atom feed (http(s):// or
file://, parsed by feedparser) or a folder of ninjs files. New entries land in the queue;
one already there by guid, address or content is dropped. A source that fails (unreachable,
timing out, cut off mid-way, not a feed) is logged and tried again later, waiting twice as
long after each failure (at most `MAX_BACKOFF`), and never stops the other sources.
"""

import hashlib
import http.client
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from toasoan.core.text import fold, vi_slug
from toasoan.newsroom.models import ArticleByline, ArticlePage, PenName, SectionPage

from . import ninjs
from .content import convert
from .models import WireItem, WireSource
from .text import clean_text, html_to_text, plain_text, sanitise_html

logger = logging.getLogger(__name__)

MAX_FEED_BYTES = 10 * 1024 * 1024
MAX_BACKOFF = timedelta(hours=6)
USER_AGENT = "ToaSoan-wire/1.0 (+https://github.com/toasoan)"
# feedparser complains about these but the feed is still whole.
HARMLESS_BOZO = ("CharacterEncodingOverride", "NonXMLContentType")


class SourceError(Exception):
    """A source could not be read this time; the message says why, in Vietnamese."""


@dataclass
class Entry:
    guid: str
    url: str
    title: str
    summary: str
    body_html: str
    byline: str = ""
    published_at: datetime | None = None
    image_urls: list[str] = field(default_factory=list)


@dataclass
class PollResult:
    source: str
    new: int = 0
    duplicates: int = 0
    error: str = ""


# --- reading a source ------------------------------------------------------------------
def fetch(source: WireSource) -> bytes | None:
    """The feed's bytes, or None when the server says nothing changed (304)."""
    url = source.url.strip()
    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https", "file"):
        raise SourceError(f"địa chỉ phải bắt đầu bằng http://, https:// hoặc file:// ({url[:80]})")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if scheme != "file":
        if source.etag:
            request.add_header("If-None-Match", source.etag)
        if source.modified:
            request.add_header("If-Modified-Since", source.modified)
    try:
        with urllib.request.urlopen(request, timeout=source.timeout_seconds) as response:
            data = response.read(MAX_FEED_BYTES + 1)
            headers = response.headers
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return None
        raise SourceError(f"máy chủ trả lỗi HTTP {error.code}") from None
    except TimeoutError:
        raise SourceError(f"quá {source.timeout_seconds} giây không trả lời") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError):
            raise SourceError(f"quá {source.timeout_seconds} giây không trả lời") from None
        raise SourceError(f"không kết nối được: {reason}") from None
    except (OSError, http.client.HTTPException) as error:  # cut off mid-way, reset…
        raise SourceError(f"kết nối bị ngắt giữa chừng: {error.__class__.__name__}") from None
    expected = (headers.get("Content-Length") or "") if headers is not None else ""
    if expected.isdigit() and len(data) < int(expected):
        raise SourceError(f"kết nối bị ngắt giữa chừng: nhận {len(data)} trên {expected} byte")
    if len(data) > MAX_FEED_BYTES:
        raise SourceError("tệp tin quá lớn (trên 10 MB)")
    if headers is not None:
        source.etag = (headers.get("ETag") or "")[:255]
        source.modified = (headers.get("Last-Modified") or "")[:255]
    return data


def parse_feed(data: bytes) -> list[Entry]:
    import feedparser  # not in every web worker (docs/architecture.md)

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo:
        problem = parsed.get("bozo_exception")
        if problem.__class__.__name__ not in HARMLESS_BOZO:
            raise SourceError(f"không đọc được RSS/Atom: {str(problem)[:200]}")
    if not parsed.get("version") and not parsed.entries:
        raise SourceError("không phải RSS hay Atom")
    entries = []
    for e in parsed.entries:
        content = e.get("content") or []
        body = content[0].get("value", "") if content else ""
        summary = e.get("summary", "")
        moment = e.get("published_parsed") or e.get("updated_parsed")
        images = [
            m.get("url")
            for m in (e.get("media_content") or []) + (e.get("media_thumbnail") or [])
            if m.get("url") and str(m.get("medium", "image")) == "image"
        ]
        images += [
            link.get("href")
            for link in e.get("links") or []
            if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/")
        ]
        entries.append(
            Entry(
                guid=e.get("id") or e.get("link") or "",
                url=e.get("link", ""),
                title=plain_text(e.get("title"), 500),
                summary=html_to_text(summary) if body else "",
                body_html=body or summary,
                byline=plain_text(
                    (e.get("author_detail") or {}).get("name") or e.get("author"), 200
                ),
                published_at=datetime(*moment[:6], tzinfo=UTC) if moment else None,
                image_urls=list(dict.fromkeys(u for u in images if u))[:10],
            )
        )
    return entries


def read_ninjs_folder(source: WireSource) -> list[Entry]:
    folder = Path(source.url.removeprefix("file://"))
    if not folder.is_dir():
        raise SourceError(f"không thấy thư mục {folder}")
    entries = []
    for path in ninjs.folder_files(folder):
        try:
            objects = ninjs.load_file(path)
        except ninjs.NinjsError as error:
            logger.warning("wire %s: %s", source.name, error)  # one bad file, not the folder
            continue
        for obj in objects:
            item = ninjs.read_item(obj, source_file=path.name)
            if item.status == "canceled":
                continue
            entries.append(
                Entry(
                    guid=item.uri,
                    url=item.urls[0] if item.urls else "",
                    title=item.title,
                    summary=item.sapo,
                    body_html=item.body_html,
                    byline=item.byline,
                    published_at=item.published_at,
                    image_urls=[p.href for p in item.pictures][:10],
                )
            )
    return entries


def content_hash(title: str, body_html: str) -> str:
    """Same story, same hash: folded title and text, whatever the markup or diacritics."""
    text = " ".join(fold(f"{title}\n{html_to_text(body_html)}").split())
    return hashlib.sha256(text.encode()).hexdigest()


def _guid_key(value: str) -> str:
    return value if len(value) <= 500 else "sha256:" + hashlib.sha256(value.encode()).hexdigest()


# --- polling ------------------------------------------------------------------
def store(source: WireSource, entries: list[Entry]) -> tuple[int, int]:
    """Queue the entries not seen before (by guid, address or content); returns (new, dropped)."""
    new = dropped = 0
    seen_guids, seen_urls, seen_hashes = set(), set(), set()
    for entry in entries:
        if not entry.title:
            dropped += 1
            continue
        guid = _guid_key(entry.guid or entry.url or content_hash(entry.title, entry.body_html))
        url = entry.url[:1000]
        digest = content_hash(entry.title, entry.body_html)
        duplicate = (
            guid in seen_guids
            or (url and url in seen_urls)
            or digest in seen_hashes
            or WireItem.objects.filter(source=source, guid=guid).exists()
            or (url and WireItem.objects.filter(url=url).exists())
            or WireItem.objects.filter(content_hash=digest).exists()
        )
        seen_guids.add(guid)
        seen_hashes.add(digest)
        if url:
            seen_urls.add(url)
        if duplicate:
            dropped += 1
            continue
        WireItem.objects.create(
            source=source,
            guid=guid,
            url=url,
            content_hash=digest,
            title=entry.title,
            summary=clean_text(entry.summary, 2000),
            body_html=sanitise_html(entry.body_html),
            byline=entry.byline,
            image_urls=entry.image_urls,
            published_at=entry.published_at,
        )
        new += 1
    return new, dropped


def poll_source(source: WireSource, now: datetime | None = None) -> PollResult:
    """Read one source and queue its new stories; failures are recorded, never raised."""
    now = now or timezone.now()
    result = PollResult(source=source.name)
    try:
        if source.kind == WireSource.Kind.NINJS:
            entries = read_ninjs_folder(source)
        else:
            data = fetch(source)
            entries = [] if data is None else parse_feed(data)
        with transaction.atomic():
            result.new, result.duplicates = store(source, entries)
    except Exception as error:
        message = (
            str(error) if isinstance(error, SourceError) else f"lỗi không lường trước: {error}"
        )
        result.error = message[:1000]
        source.failures += 1
        source.last_error = result.error
        wait = timedelta(minutes=source.interval_minutes) * (2 ** min(source.failures, 10))
        source.next_check_at = now + min(wait, MAX_BACKOFF)
        logger.warning(
            "Nguồn tin %s lỗi lần %d: %s",
            source.name,
            source.failures,
            result.error,
            exc_info=not isinstance(error, SourceError),
        )
    else:
        source.failures = 0
        source.last_error = ""
        source.last_ok_at = now
        source.next_check_at = now + timedelta(minutes=source.interval_minutes)
    source.last_checked_at = now
    source.save()
    return result


def poll_due(now: datetime | None = None, force: bool = False) -> list[PollResult]:
    """Poll every active source whose time has come (all active ones with `force`)."""
    now = now or timezone.now()
    sources = WireSource.objects.filter(active=True)
    if not force:
        sources = sources.filter(next_check_at__lte=now)
    return [poll_source(source, now) for source in sources.order_by("next_check_at", "pk")]


# --- from the queue to a draft ------------------------------------------------------------------
def sections_for(user):
    """Sections where this user may add stories (Wagtail's page permissions)."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    pages = PagePermissionPolicy().instances_user_has_any_permission_for(user, {"add"})
    return SectionPage.objects.filter(pk__in=pages.values("pk")).order_by("path")


def can_use_wires(user) -> bool:
    return user.is_active and (user.is_superuser or sections_for(user).exists())


def credit_pen_name(source: WireSource) -> PenName:
    name = clean_text(source.credit, 120) or clean_text(source.name, 120)
    pen = PenName.objects.filter(name=name).first()
    if pen is None:
        slug = base = vi_slug(name) or "nguon-tin"
        n = 1
        while PenName.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        pen = PenName.objects.create(
            name=name, slug=slug, outside_contributor=f"Nguồn tin: {source.name}"[:200]
        )
    return pen


class AlreadyUsed(Exception):
    pass


@transaction.atomic
def make_draft(item: WireItem, section: SectionPage, user, kind: str = "tin") -> ArticlePage:
    """Turn a queued wire story into a draft in `section`, crediting its source."""
    item = WireItem.objects.select_for_update().select_related("source").get(pk=item.pk)
    if item.status == WireItem.Status.USED and item.story_id:
        raise AlreadyUsed(item.story_id)
    source = item.source
    body = convert(item.body_html, lambda ref: None, item.title, take_lead=not item.summary)
    credit = clean_text(source.credit, 60) or source.name
    tail = f"<p>Theo {escape(credit)}"
    if item.url.startswith(("http://", "https://")):
        tail = f'<p>Theo <a href="{escape(item.url)}">{escape(credit)}</a>'
    if item.image_urls:
        links = ", ".join(
            f'<a href="{escape(url)}">ảnh {n}</a>' for n, url in enumerate(item.image_urls, start=1)
        )
        tail += f". Ảnh gốc của nguồn (tải về, kiểm tra bản quyền rồi chèn): {links}"
    body.blocks.append({"type": "paragraph", "value": sanitise_html(tail + "</p>")})
    story = ArticlePage(
        title=item.title[:255],
        sapo=clean_text(item.summary or body.lead or item.title, 1000),
        lead_prefix=f"({credit})"[:20],
        kind=kind,
        body=body.blocks,
        owner=user,
        live=False,
    )
    story.bylines.add(ArticleByline(pen_name=credit_pen_name(source), sort_order=0))
    Page.objects.get(pk=section.pk).add_child(instance=story)
    story.save_revision(user=user, log_action=False)
    log(instance=story, action="wagtail.create", user=user)
    item.status = WireItem.Status.USED
    item.story = story
    item.handled_by = user
    item.handled_at = timezone.now()
    item.save(update_fields=["status", "story", "handled_by", "handled_at"])
    return story


def discard(item: WireItem, user) -> None:
    WireItem.objects.filter(pk=item.pk, status=WireItem.Status.NEW).update(
        status=WireItem.Status.DISCARDED, handled_by=user, handled_at=timezone.now()
    )
