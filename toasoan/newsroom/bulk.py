"""Fast creation of many published stories at once, for archive imports and benchmarks.

Creating pages one by one through treebeard costs several queries each; here the tree
paths are computed directly and rows are inserted in batches. Search indexing is left to
`manage.py update_index`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from wagtail.models import Page

from toasoan.core.text import nfc, vi_slug

from .models import ArticleByline, ArticlePage, ArticleTopic, PenName, Photo, SectionPage, Topic


@dataclass
class StoryRow:
    title: str
    sapo: str
    published_at: datetime
    body_html: str = ""
    kind: str = "tin"
    lead_prefix: str = ""
    cover: Photo | None = None
    pen_names: list[PenName] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)


@transaction.atomic
def bulk_add_stories(section: SectionPage, rows: Iterable[StoryRow], batch: int = 2000) -> int:
    """Append published stories under `section`; returns how many were added."""
    section = SectionPage.objects.select_for_update().get(pk=section.pk)
    content_type = ContentType.objects.get_for_model(ArticlePage)
    next_step = section.numchild + 1
    taken = set(Page.objects.child_of(section).values_list("slug", flat=True))
    added = 0
    pending: list[StoryRow] = []

    def flush() -> None:
        nonlocal next_step, added
        pages = []
        for i, row in enumerate(pending):
            title = nfc(row.title)
            base = slug = vi_slug(title) or "bai-viet"
            n = 1
            while slug in taken:
                n += 1
                slug = f"{base}-{n}"
            taken.add(slug)
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    locale_id=section.locale_id,
                    path=section.path + Page._int2str(next_step + i).rjust(Page.steplen, "0"),
                    depth=section.depth + 1,
                    numchild=0,
                    url_path=f"{section.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=row.published_at,
                    last_published_at=row.published_at,
                    latest_revision_created_at=row.published_at,
                )
            )
        Page.objects.bulk_create(pages)
        if pages[0].pk is None:  # backends that do not return ids
            paths = [p.path for p in pages]
            ids = dict(Page.objects.filter(path__in=paths).values_list("path", "pk"))
            for page in pages:
                page.pk = page.id = ids[page.path]
        articles, bylines, topics = [], [], []
        for page, row in zip(pages, pending, strict=True):
            articles.append(
                ArticlePage(
                    page_ptr_id=page.pk,
                    kind=row.kind,
                    lead_prefix=row.lead_prefix,
                    sapo=nfc(row.sapo),
                    body=[{"type": "paragraph", "value": nfc(row.body_html)}]
                    if row.body_html
                    else [],
                    cover_image=row.cover,
                )
            )
            bylines += [
                ArticleByline(page_id=page.pk, pen_name=p, sort_order=n)
                for n, p in enumerate(row.pen_names)
            ]
            topics += [ArticleTopic(content_object_id=page.pk, tag=t) for t in row.topics]
        # The child rows of a multi-table model, many per INSERT: what save_base(raw=True)
        # does for one row (bulk_create refuses multi-table models).
        fields = [f for f in ArticlePage._meta.local_concrete_fields if not f.generated]
        for n in range(0, len(articles), 500):
            ArticlePage._base_manager._insert(articles[n : n + 500], fields=fields, raw=True)
        ArticleByline.objects.bulk_create(bylines)
        ArticleTopic.objects.bulk_create(topics)
        next_step += len(pages)
        added += len(pages)
        pending.clear()

    for row in rows:
        pending.append(row)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + added)
    return added
