"""Adding many stories under sections at once: archive imports (toasoan.ingest) and the bench.

Creating pages one by one through treebeard costs a dozen queries each; here the tree paths
are computed directly and rows inserted in batches, a handful of queries per batch whatever
its size. Stories keep their own dates, live state, owner, body blocks and cover. The next
tree position is read from the section's last child under a row lock, so it stays right
when stories were deleted from the section before. Bulk inserts send no signals: search
indexing and cache invalidation are the caller's (the importers do both; the bench rebuilds
the index).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.db.models.fields import AutoFieldMixin
from wagtail.models import Page

from toasoan.core.text import nfc, vi_slug

from .models import ArticleByline, ArticlePage, ArticleTopic, SectionPage

INSERT_ROWS = 500  # article rows per INSERT (fewer when the backend limits parameters)


@dataclass
class StoryRow:
    title: str
    sapo: str
    published_at: datetime
    blocks: list[dict] = field(default_factory=list)
    updated_at: datetime | None = None
    live: bool = True
    kind: str = "tin"
    lead_prefix: str = ""
    cover_id: int | None = None
    pen_name_ids: list[int] = field(default_factory=list)
    topic_ids: list[int] = field(default_factory=list)
    owner_id: int | None = None
    seo_title: str = ""
    search_description: str = ""


def paragraph(html: str) -> list[dict]:
    """A body of one paragraph block (what archives of plain HTML become)."""
    return [{"type": "paragraph", "value": nfc(html)}] if html else []


class StoryWriter:
    """Call `write()` inside a transaction; it locks the section row while it adds.

    One writer remembers the slugs taken in each section it wrote to, so a long import
    reads them once per section."""

    def __init__(self):
        self._content_type = ContentType.objects.get_for_model(ArticlePage)
        self._taken: dict[int, set[str]] = {}
        # The last suffix given to each slug in each section: the hundredth "Hội An đẩy
        # mạnh chuyển đổi số" tries "-100" at once, not -2 … -99 first (an archive of a
        # million stories repeats its titles thousands of times).
        self._suffix: dict[tuple[int, str], int] = {}

    def _taken_slugs(self, section: Page) -> set[str]:
        if section.pk not in self._taken:
            slugs = Page.objects.child_of(section).values_list("slug", flat=True)
            self._taken[section.pk] = set(slugs)
        return self._taken[section.pk]

    def _slug(self, section: Page, title: str) -> str:
        taken = self._taken_slugs(section)
        base = slug = vi_slug(title) or "bai-viet"
        suffix = self._suffix.get((section.pk, base), 1)
        while slug in taken:
            suffix += 1
            slug = f"{base}-{suffix}"
        self._suffix[section.pk, base] = suffix
        taken.add(slug)
        return slug

    def write(self, section: SectionPage, rows: list[StoryRow]) -> list[ArticlePage]:
        """Add the stories as the section's last children; returns them, with their ids."""
        if not rows:
            return []
        section = Page.objects.select_for_update().get(pk=section.pk)
        last = (
            Page.objects.filter(path__startswith=section.path, depth=section.depth + 1)
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        step = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        pages = []
        for n, row in enumerate(rows):
            title = nfc(row.title)
            slug = self._slug(section, title)
            changed_at = row.updated_at or row.published_at
            pages.append(
                Page(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=self._content_type,
                    locale_id=section.locale_id,
                    path=section.path + Page._int2str(step + n).rjust(Page.steplen, "0"),
                    depth=section.depth + 1,
                    numchild=0,
                    url_path=f"{section.url_path}{slug}/",
                    live=row.live,
                    has_unpublished_changes=not row.live,
                    first_published_at=row.published_at if row.live else None,
                    last_published_at=changed_at if row.live else None,
                    latest_revision_created_at=changed_at,
                    owner_id=row.owner_id,
                    seo_title=row.seo_title[:255],
                    search_description=row.search_description,
                )
            )
        if connection.vendor == "postgresql":
            copy_rows(Page, pages, with_ids=True)
        else:
            Page.objects.bulk_create(pages)
        if pages[0].pk is None:  # backends that do not return ids
            ids = dict(
                Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "pk")
            )
            for page in pages:
                page.pk = page.id = ids[page.path]
        stories, bylines, topics = [], [], []
        for page, row in zip(pages, rows, strict=True):
            story = ArticlePage(
                page_ptr_id=page.pk,
                kind=row.kind,
                lead_prefix=row.lead_prefix,
                sapo=nfc(row.sapo),
                body=row.blocks,
                cover_image_id=row.cover_id,
            )
            # The page fields as well, for whoever reads the returned stories (search index).
            for name in ("title", "slug", "live", "first_published_at", "url_path", "path"):
                setattr(story, name, getattr(page, name))
            stories.append(story)
            bylines += [
                ArticleByline(page_id=page.pk, pen_name_id=pen_name_id, sort_order=order)
                for order, pen_name_id in enumerate(dict.fromkeys(row.pen_name_ids))
            ]
            topics += [
                ArticleTopic(content_object_id=page.pk, tag_id=topic_id)
                for topic_id in dict.fromkeys(row.topic_ids)
            ]
        if connection.vendor == "postgresql":
            copy_rows(ArticlePage, stories, local=True)
            copy_rows(ArticleByline, bylines)
            copy_rows(ArticleTopic, topics)
        else:
            _insert_story_rows(stories)
            ArticleByline.objects.bulk_create(bylines)
            ArticleTopic.objects.bulk_create(topics)
        Page.objects.filter(pk=section.pk).update(numchild=F("numchild") + len(pages))
        return stories


def _insert_story_rows(stories: list[ArticlePage]) -> None:
    """The article table's own rows (the page rows exist), many per INSERT.

    Django's bulk_create refuses multi-table models, so this does what `save_base(raw=True)`
    does for one row — an insert of the model's local fields — for a batch at a time.
    """
    fields = [f for f in ArticlePage._meta.local_concrete_fields if not f.generated]
    size = max(1, min(INSERT_ROWS, connection.ops.bulk_batch_size(fields, stories)))
    for start in range(0, len(stories), size):
        ArticlePage._base_manager._insert(
            stories[start : start + size], fields=fields, raw=True, using=connection.alias
        )


def copy_rows(model, objects: list, with_ids: bool = False, local: bool = False) -> None:
    """PostgreSQL: the objects' rows sent with one COPY (no signals, no `save()`): several
    times cheaper for the server than INSERTs of the same rows.

    `with_ids`: the objects get their ids first, taken from the table's sequence, as an
    INSERT would give them. `local`: only the model's own table (a multi-table child whose
    parent rows exist). Otherwise an automatic primary key is left to its default.
    """
    if not objects:
        return
    meta = model._meta
    automatic = isinstance(meta.pk, AutoFieldMixin) and not with_ids
    fields = [
        f
        for f in (meta.local_concrete_fields if local else meta.concrete_fields)
        if not f.generated and not (automatic and f is meta.pk)
    ]
    with connection.cursor() as cursor:
        if with_ids:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objects)],
            )
            for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
                obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(meta.db_table)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row(
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                )


def _batches(rows: Iterable[StoryRow], size: int) -> Iterator[list[StoryRow]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


@transaction.atomic
def bulk_add_stories(section: SectionPage, rows: Iterable[StoryRow], batch: int = 2000) -> int:
    """Append stories under `section`, `batch` rows at a time; returns how many were added."""
    writer = StoryWriter()
    return sum(len(writer.write(section, chunk)) for chunk in _batches(rows, batch))
