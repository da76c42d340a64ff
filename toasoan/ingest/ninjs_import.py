"""Folders of ninjs files in (another paper's archive): stories, bylines, dates, images."""

from collections import defaultdict
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from django.db import reset_queries, transaction
from django.utils import timezone

from toasoan.newsroom.bulk import StoryRow
from toasoan.newsroom.models import SectionPage

from .archive import (
    ALREADY,
    SKIP,
    SKIPPED_SECTION,
    Context,
    ImportRefused,
    Options,
    Summary,
    batched,
    short_key,
)
from .content import ImageRef, convert
from .models import ImportedItem
from .ninjs import NewsItem, folder_files, iter_folder, load_file

CANCELED = "Tin đã bị huỷ (pubstatus canceled)"


class NinjsImport:
    def __init__(self, context: Context):
        self.ctx = context
        self.summary = context.summary

    def section_for(self, item: NewsItem):
        ctx = self.ctx
        for subject in item.subjects:
            if subject in ctx.mapped:
                return ctx.mapped[subject]
        if isinstance(ctx.target, SectionPage):
            return ctx.target
        return ctx.default_section()

    def resolve_image(self, ref: ImageRef) -> int | None:
        file = self.ctx.local_file(ref.src)
        if file is None:
            return None
        title = ref.alt or Path(urlsplit(ref.src).path).stem
        return self.ctx.photo(ImportedItem.Kind.IMAGE, ref.src, file, title, ref.caption, ref.alt)

    def picture(self, picture) -> int | None:
        file = self.ctx.local_file(picture.href)
        if file is None:
            return None
        return self.ctx.photo(
            ImportedItem.Kind.IMAGE,
            picture.href,
            file,
            picture.title or Path(urlsplit(picture.href).path).stem,
            picture.caption,
            picture.alt,
            picture.credit,
        )

    def story(self, item: NewsItem) -> StoryRow:
        ctx = self.ctx
        body = convert(item.body_html, self.resolve_image, item.title, take_lead=not item.sapo)
        cover_id = None
        for n, picture in enumerate(item.pictures):
            photo_id = self.picture(picture)
            if n == 0 and photo_id:
                cover_id = photo_id
                continue
            if picture.href in item.body_html:
                continue
            if photo_id:
                value = {"image": photo_id, "caption": "", "credit": "", "wide": False}
                body.blocks.append({"type": "photo", "value": value})
                body.local_images += 1
            else:
                extra = convert(
                    f'<img src="{escape(picture.href)}" alt="{escape(picture.alt)}">',
                    lambda ref: None,
                )
                if n == 0:
                    body.blocks[:0] = extra.blocks
                else:
                    body.blocks += extra.blocks
                body.remote_images += extra.remote_images
        ctx.summary.counts["images_remote"] += body.remote_images
        pen_ids = [ctx.pen_name(f"by:{item.byline}", item.byline)] if item.byline else []
        published = item.published_at or item.updated_at or timezone.now()
        updated = item.updated_at if item.updated_at and item.updated_at > published else None
        return StoryRow(
            title=item.title or "Không có tiêu đề",
            sapo=item.sapo or body.lead or item.title,
            blocks=body.blocks,
            published_at=published,
            updated_at=updated,
            live=item.status == "usable",
            kind="bai",
            cover_id=cover_id,
            pen_name_ids=pen_ids,
            topic_ids=[t for t in (ctx.topic(s) for s in item.subjects) if t],
            owner_id=ctx.owner_for(pen_ids),
        )

    def batch(self, items: list[NewsItem]) -> None:
        ctx, summary = self.ctx, self.summary
        keys = [short_key(i.uri) for i in items]
        known = set(
            ImportedItem.objects.filter(
                origin=ctx.origin, kind=ImportedItem.Kind.POST, source_id__in=keys
            ).values_list("source_id", flat=True)
        )
        by_section: dict[int, list] = defaultdict(list)
        sections = {}
        seen = set()
        for item, key in zip(items, keys, strict=True):
            label = f"{item.source_file}: {item.title[:60]}"
            if key in known or key in seen:
                summary.skip(ALREADY, label)
                continue
            seen.add(key)
            if item.status == "canceled":
                summary.skip(CANCELED, label)
                continue
            if item.kind not in ("text", "composite"):
                summary.skip(f"Loại tin “{item.kind}” không phải bài viết", label)
                continue
            section = self.section_for(item)
            if section is SKIP:
                summary.skip(SKIPPED_SECTION, label)
                continue
            sections[section.pk] = section
            by_section[section.pk].append((item, key, self.story(item)))
        for section_id, entries in by_section.items():
            stories = ctx.writer.write(sections[section_id], [row for _, _, row in entries])
            ImportedItem.objects.bulk_create(
                [
                    ImportedItem(
                        origin=ctx.origin,
                        kind=ImportedItem.Kind.POST,
                        source_id=key,
                        target_id=story.pk,
                    )
                    for (_, key, _), story in zip(entries, stories, strict=True)
                ]
            )
            addresses = []
            for (item, _, _), story in zip(entries, stories, strict=True):
                summary.counts["stories_live" if story.live else "stories_draft"] += 1
                addresses += [(url, story.pk, "") for url in item.urls]
            ctx.legacy_urls(addresses)
            ctx.index(stories, {s.pk: e[0].subjects for e, s in zip(entries, stories, strict=True)})


def import_ninjs(folder: str | Path, options: Options | None = None) -> Summary:
    """Import a folder of ninjs files; every file is checked before anything is written."""
    options = options or Options()
    started = timezone.now()
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportRefused(f"Không thấy thư mục {folder}.")
    files = folder_files(folder)
    if not files:
        raise ImportRefused(f"Thư mục {folder} không có tệp .json nào.")
    total = sum(len(load_file(path)) for path in files)  # the checking pass
    summary = Summary()
    summary.origin = (options.origin or f"ninjs:{folder.resolve().name}")[:200]
    context = Context(options, summary.origin, summary)
    if options.progress:
        options.progress("writing", 0, total)
    importer, done = NinjsImport(context), 0
    for batch in batched(iter_folder(folder, context.zone), options.batch):
        with transaction.atomic():
            importer.batch(batch)
        reset_queries()
        done += len(batch)
        if options.progress:
            options.progress("writing", done, total)
    with transaction.atomic():
        context.finish()
    summary.seconds = (timezone.now() - started).total_seconds()
    return summary
