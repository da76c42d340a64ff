"""WordPress exports (WXR 1.0–1.2) in: posts, categories, tags, authors, images, comments.

Two passes over the file. The first reads it to the end and checks it (a malformed or
non-WXR file stops there, with line and column, before anything is written) and collects
the small things: authors, categories, tags, attachments. The second writes stories in
batches, one transaction per batch, so an interrupted import can simply be run again.
"""

import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC
from html import escape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.db import reset_queries, transaction
from django.utils import timezone

from toasoan.newsroom.bulk import StoryRow
from toasoan.newsroom.models import ArticlePage, PenName, Topic

from . import comments as comment_import
from .archive import (
    ALREADY,
    SKIP,
    SKIPPED_SECTION,
    Category,
    Context,
    Options,
    Progress,
    Summary,
    batched,
)
from .content import ImageRef, convert
from .models import ImportedItem
from .text import clean_text, host_of, html_to_text, parse_rfc822, parse_wp_date, plain_text
from .wxr import Item, Node, Reader

log = logging.getLogger(__name__)

NO_ID = "Thiếu mã bài (wp:post_id)"
TYPE_REASONS = {
    "page": "Trang tĩnh (page): Toà Soạn chưa có kiểu trang này — tạo lại bằng tay",
    "revision": "Bản sửa cũ (revision)",
    "nav_menu_item": "Mục menu",
    "wp_block": "Khối tái sử dụng của trình soạn thảo",
}
STATUS_SKIPS = {
    "trash": "Bài trong thùng rác",
    "auto-draft": "Bản nháp tự động của WordPress",
    "inherit": "Bản sửa cũ (revision)",
}
KIND_BY_FORMAT = {
    "post-format-gallery": "anh",
    "post-format-image": "anh",
    "post-format-video": "video",
    "post-format-audio": "podcast",
}


# --- the first pass -------------------------------------------------------------------
@dataclass
class Author:
    login: str
    display_name: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass(slots=True)
class Attachment:
    url: str
    file: str
    title: str
    caption: str
    alt: str


@dataclass
class Plan:
    """What the first pass learnt: the channel and the small shared things."""

    path: Path
    channel: object = None
    authors: dict[str, Author] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    attachments: dict[str, Attachment] = field(default_factory=dict)
    attachment_urls: dict[str, str] = field(default_factory=dict)  # file address → id
    types: Counter = field(default_factory=Counter)
    total: int = 0

    @property
    def term_slugs(self) -> dict[str, str]:
        return {c.term_id: c.slug for c in self.categories.values() if c.term_id}


def scan(path: Path, progress: Progress | None = None) -> Plan:
    """Read the whole file once, checking it; raises `WxrError` and writes nothing."""
    plan = Plan(path=Path(path))
    reader = Reader(path)
    for tag, node in reader:
        if tag == "item":
            plan.total += 1
            post_type = node.get("wp:post_type")
            plan.types[post_type] += 1
            if post_type == "attachment":
                _scan_attachment(plan, node)
            for category in node.findall("category"):
                if category.attrs.get("domain") == "category":
                    slug = category.attrs.get("nicename", "")
                    if slug and slug not in plan.categories:
                        plan.categories[slug] = Category(slug, category.text.strip() or slug)
            if progress and plan.total % 1000 == 0:
                progress("checking", 0, plan.total)
        elif tag == "wp:author":
            login = node.get("wp:author_login")
            plan.authors[login] = Author(
                login=login,
                display_name=node.get("wp:author_display_name"),
                email=node.get("wp:author_email"),
                first_name=node.get("wp:author_first_name"),
                last_name=node.get("wp:author_last_name"),
            )
        elif tag == "wp:category":
            slug = node.get("wp:category_nicename")
            plan.categories[slug] = Category(
                slug=slug,
                name=node.get("wp:cat_name") or slug,
                parent=node.get("wp:category_parent"),
                term_id=node.get("wp:term_id"),
            )
        elif tag == "wp:tag":
            plan.tags[node.get("wp:tag_slug")] = node.get("wp:tag_name")
    plan.channel = reader.channel
    return plan


def _scan_attachment(plan: Plan, node: Node) -> None:
    meta = {
        m.get("wp:meta_key"): m.raw("wp:meta_value")
        for m in node.findall("wp:postmeta")
        if m.get("wp:meta_key") in ("_wp_attached_file", "_wp_attachment_image_alt")
    }
    attachment_id = node.get("wp:post_id")
    url = node.get("wp:attachment_url") or node.get("guid")
    plan.attachment_urls[_url_key(url)] = attachment_id
    plan.attachments[attachment_id] = Attachment(
        url=url,
        file=meta.get("_wp_attached_file", ""),
        title=plain_text(node.raw("title"), 255),
        caption=plain_text(node.raw("excerpt:encoded"), 500),
        alt=plain_text(meta.get("_wp_attachment_image_alt", ""), 500),
    )


# --- the second pass ------------------------------------------------------------------
class WxrImport:
    def __init__(self, plan: Plan, context: Context):
        self.plan, self.ctx = plan, context
        self.summary = context.summary
        self.term_slugs = plan.term_slugs
        channel = plan.channel
        self.base = channel.base_blog_url or channel.base_site_url or channel.link
        self.base_path = urlsplit(self.base).path.rstrip("/")

    def run(self, progress: Progress | None) -> None:
        done = 0
        for batch in batched(Reader(self.plan.path).items(), self.ctx.options.batch):
            with transaction.atomic():
                self.batch(batch)
            reset_queries()  # with DEBUG on, Django keeps every SQL text (bulk inserts are big)
            done += len(batch)
            if progress:
                progress("writing", done, self.plan.total)
        with transaction.atomic():
            self.term_addresses()
            self.ctx.finish()

    # --- one batch --------------------------------------------------------------------------
    def batch(self, items: list[Item]) -> None:
        ctx, summary = self.ctx, self.summary
        ids = [i.post_id for i in items if i.post_id]
        known = dict(
            ImportedItem.objects.filter(
                origin=ctx.origin, kind=ImportedItem.Kind.POST, source_id__in=ids
            ).values_list("source_id", "target_id")
        )
        still_there = set(
            ArticlePage.objects.filter(pk__in=[t for t in known.values() if t]).values_list(
                "pk", flat=True
            )
        )
        by_section: dict[int, list] = defaultdict(list)
        sections = {}
        comments_for: list[tuple[int, Item]] = []
        for item in items:
            label = f"#{item.post_id} {plain_text(item.title, 60)}".strip()
            if item.post_type == "attachment":
                self.attachment(item)
                continue
            if item.post_type != "post":
                reason = TYPE_REASONS.get(item.post_type)
                summary.skip(reason or f"Kiểu nội dung “{item.post_type}” chưa hỗ trợ", label)
                continue
            if not item.post_id:
                summary.skip(NO_ID, f"dòng {item.line}")
                continue
            if item.post_id in known:
                summary.skip(ALREADY, label)
                if known[item.post_id] in still_there:  # new comments of a story we have
                    comments_for.append((known[item.post_id], item))
                continue
            if item.status in STATUS_SKIPS:
                summary.skip(STATUS_SKIPS[item.status], label)
                continue
            section, section_slug = self.section_for(item)
            if section is SKIP:
                summary.skip(SKIPPED_SECTION, label)
                continue
            row = self.story(item, section_slug)
            sections[section.pk] = section
            by_section[section.pk].append((item, row))
        written: list[tuple[Item, ArticlePage]] = []
        for section_id, entries in by_section.items():
            stories = ctx.writer.write(sections[section_id], [row for _, row in entries])
            written += [(item, story) for (item, _), story in zip(entries, stories, strict=True)]
        self.after_write(written)
        if ctx.options.comments:
            comments_for += [(story.pk, item) for item, story in written]
            counts = comment_import.import_wxr_comments(
                ctx.origin, comments_for, ctx.zone, self.summary
            )
            ctx.touched_articles |= counts

    def after_write(self, written: list[tuple[Item, ArticlePage]]) -> None:
        ctx = self.ctx
        ImportedItem.objects.bulk_create(
            [
                ImportedItem(
                    origin=ctx.origin,
                    kind=ImportedItem.Kind.POST,
                    source_id=item.post_id,
                    target_id=story.pk,
                )
                for item, story in written
            ]
        )
        addresses = []
        for item, story in written:
            ctx.summary.counts["stories_live" if story.live else "stories_draft"] += 1
            for url in self.old_addresses(item):
                addresses.append((url, story.pk, ""))
        ctx.legacy_urls(addresses)
        ctx.feature([story.pk for item, story in written if item.is_sticky and story.live])
        topic_names = defaultdict(list)
        for item, story in written:
            topic_names[story.pk] = [
                plain_text(name) for domain, _, name in item.categories if domain == "post_tag"
            ]
        ctx.index([story for _, story in written], topic_names)

    def old_addresses(self, item: Item) -> list[str]:
        urls = [f"{self.base_path}/?p={item.post_id}"]
        for url in (item.link, item.guid):
            if url and (url.startswith("/") or "://" in url):
                urls.append(url)
        return urls

    # --- an item ----------------------------------------------------------------------------
    def section_for(self, item: Item):
        ctx = self.ctx
        slugs = [slug for domain, slug, _ in item.categories if domain == "category" and slug]
        primary = self.term_slugs.get(item.meta.get("_yoast_wpseo_primary_category", ""))
        if primary in slugs:
            slugs.remove(primary)
            slugs.insert(0, primary)
        if not slugs:
            return ctx.default_section(), ""
        for slug in slugs:
            section = ctx.section_for_category(slug, self.plan.categories)
            if section is not SKIP:
                return section, slug
        return SKIP, ""

    def story(self, item: Item, section_slug: str = "") -> StoryRow:
        ctx = self.ctx
        title = plain_text(item.title, 255) or f"Bài #{item.post_id}"
        author = self.plan.authors.get(item.creator) or Author(item.creator, item.creator)
        real_name = plain_text(f"{author.first_name} {author.last_name}")
        pen_ids = [
            ctx.pen_name(
                item.creator or "khong-ro",
                author.display_name or item.creator,
                author.email,
                real_name,
            )
        ]
        category_slugs = [s for d, s, _ in item.categories if d == "category"]
        topic_ids = []
        for domain, slug, name in item.categories:
            if domain == "post_tag":
                topic_ids.append(ctx.topic(name or self.plan.tags.get(slug, slug)))
        for slug in category_slugs:  # the categories other than the story's section: topics
            if slug == section_slug and not ctx.options.flatten:
                continue
            category = self.plan.categories.get(slug)
            topic_ids.append(ctx.topic(category.name if category else slug))
        fmt = next((s for d, s, _ in item.categories if d == "post_format"), "")

        excerpt = html_to_text(item.excerpt)
        body = convert(item.content, self.resolve_image, title, take_lead=not excerpt)
        cover_id = None
        thumb = item.meta.get("_thumbnail_id", "")
        if thumb:
            cover_id = self.resolve_image(ImageRef(attachment_id=thumb))
            attachment = self.plan.attachments.get(thumb)
            if cover_id is None and attachment and attachment.url not in item.content:
                remote = convert(
                    f'<img src="{escape(attachment.url)}" alt="{escape(attachment.alt)}">',
                    lambda ref: None,
                )
                body.blocks[:0] = remote.blocks
                body.remote_images += remote.remote_images
        ctx.summary.counts["images_remote"] += body.remote_images

        published = (
            parse_wp_date(item.post_date_gmt, UTC)
            or parse_wp_date(item.post_date, ctx.zone)
            or parse_rfc822(item.pub_date)
            or timezone.now()
        )
        updated = parse_wp_date(item.post_modified_gmt, UTC)
        if updated and updated < published:
            updated = None
        live = item.status == "publish" and not item.password
        return StoryRow(
            title=title,
            sapo=clean_text(excerpt or body.lead or title, 1000),
            blocks=body.blocks,
            published_at=published,
            updated_at=updated,
            live=live,
            kind=KIND_BY_FORMAT.get(fmt, "bai"),
            pen_name_ids=pen_ids,
            topic_ids=[t for t in topic_ids if t],
            owner_id=ctx.owner_for(pen_ids),
            cover_id=cover_id,
            seo_title=plain_text(item.meta.get("_yoast_wpseo_title", ""), 255),
            search_description=clean_text(item.meta.get("_yoast_wpseo_metadesc", ""), 500),
        )

    def resolve_image(self, ref: ImageRef) -> int | None:
        ctx = self.ctx
        if not ref.attachment_id and ref.src:  # an attachment shown at one of its sizes
            ref.attachment_id = self.plan.attachment_urls.get(
                _url_key(_without_size_suffix(ref.src)), ""
            )
        attachment = self.plan.attachments.get(ref.attachment_id) if ref.attachment_id else None
        if attachment is None and ref.src:
            original = _without_size_suffix(ref.src)
            file = ctx.local_file(original, ref.src)
            return ctx.photo(
                ImportedItem.Kind.IMAGE,
                original,
                file,
                ref.alt or Path(urlsplit(original).path).stem,
                ref.caption,
                ref.alt,
            )
        if attachment is None:
            return None
        file = ctx.local_file(attachment.file, attachment.url)
        return ctx.photo(
            ImportedItem.Kind.ATTACHMENT,
            ref.attachment_id,
            file,
            attachment.title,
            ref.caption or attachment.caption,
            ref.alt or attachment.alt,
        )

    def attachment(self, item: Item) -> None:
        """An attachment seen in the stream: a Photo if its file is here, else counted."""
        attachment = self.plan.attachments.get(item.post_id)
        if attachment is None:
            return
        file = self.ctx.local_file(attachment.file, attachment.url)
        if file is None:
            return
        self.ctx.photo(
            ImportedItem.Kind.ATTACHMENT,
            item.post_id,
            file,
            attachment.title,
            attachment.caption,
            attachment.alt,
        )

    # --- category, tag and author archives ----------------------------------------------------
    def term_addresses(self) -> None:
        """`/category/…`, `?cat=`, `/tag/…` and `/author/…` lead to the section, topic, byline."""
        ctx, rows = self.ctx, []
        home_url = (ctx.home.url or "/").rstrip("/") if ctx.home else None
        for slug, section in ctx.category_sections.items():
            category = self.plan.categories.get(slug) or Category(slug, slug)
            rows.append(
                (f"{self.base_path}/category/{self._category_path(category)}", section.pk, "")
            )
            if category.term_id:
                rows.append((f"{self.base_path}/?cat={category.term_id}", section.pk, ""))
        if home_url is None:
            ctx.legacy_urls(rows)
            return
        for slug, name in self.plan.tags.items():
            topic_id = ctx.topics.get(plain_text(name, 100))
            if topic_id:
                topic_path = f"{home_url}/chu-de/{Topic.objects.get(pk=topic_id).slug}/"
                rows.append((f"{self.base_path}/tag/{slug}", None, topic_path))
                rows.append((f"{self.base_path}/?tag={slug}", None, topic_path))
        for login, pen_id in ctx.pen_names.items():
            pen_path = f"{home_url}/tac-gia/{PenName.objects.get(pk=pen_id).slug}/"
            rows.append((f"{self.base_path}/author/{login}", None, pen_path))
        ctx.legacy_urls(rows)

    def _category_path(self, category: Category) -> str:
        parts, seen = [category.slug], {category.slug}
        while category.parent and category.parent in self.plan.categories:
            if category.parent in seen:
                break
            category = self.plan.categories[category.parent]
            seen.add(category.slug)
            parts.insert(0, category.slug)
        return "/".join(parts)


def _url_key(url: str) -> str:
    """An upload's address without scheme and host (exports mix http, https and www)."""
    return unquote(urlsplit(url or "").path).lower()


def _without_size_suffix(url: str) -> str:
    """`photo-300x200.jpg` (a size WordPress made) → `photo.jpg` (the original)."""
    return re.sub(r"-\d{2,5}x\d{2,5}(?=\.[A-Za-z0-9]{2,5}(?:$|\?))", "", url)


def origin_for(plan: Plan, explicit: str = "") -> str:
    if explicit:
        return explicit[:200]
    channel = plan.channel
    base = channel.base_blog_url or channel.base_site_url or channel.link
    parts = urlsplit(base)
    if parts.hostname:
        return f"wxr:{host_of(base)}{parts.path.rstrip('/')}"[:200]
    return f"wxr:{plan.path.name}"[:200]


def import_wxr(path: str | Path, options: Options | None = None) -> Summary:
    """Import a WordPress export; raises `WxrError` or `ImportRefused` before writing anything."""
    options = options or Options()
    started = timezone.now()
    plan = scan(Path(path), options.progress)
    summary = Summary()
    summary.origin = origin_for(plan, options.origin)
    if options.progress:
        options.progress("writing", 0, plan.total)
    context = Context(options, summary.origin, summary)  # checks --into / --section-map
    WxrImport(plan, context).run(options.progress)
    summary.seconds = (timezone.now() - started).total_seconds()
    log.info("WXR import %s: %s", summary.origin, summary.as_dict())
    return summary
