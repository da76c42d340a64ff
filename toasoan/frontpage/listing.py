"""What the public pages list: featured slots, latest stream, section blocks, rails, menus.

Every listing goes through `ArticlePage.objects.published()`, so drafts, scheduled and unpublished
stories never appear. Menus are cached under the frame (core.changes.framed), in Redis and in
each worker's memory, so a section published, unpublished, moved or deleted drops them on every
worker; publishing a story leaves them be.
"""

from datetime import UTC

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.models import Min
from django.utils import timezone
from wagtail.models import Page, Site

from toasoan.core.changes import forget_kept, frame_versioned, framed, kept, kept_here, versioned
from toasoan.core.paging import page_of
from toasoan.editions.homes import edition_home_id
from toasoan.newsroom.models import (
    LISTING_RENDITIONS,
    ArticlePage,
    Photo,
    SectionPage,
    attach_covers,
    covered_page,
)

MENU_CACHE_KEY = "frontpage:menu:{root_id}"
LATEST_ON_HOME = 12
STORIES_PER_SECTION_BLOCK = 5
RAIL_SIZE = 6
FEATURED_ON_HOME = 8


def menu(root_page_id: int) -> list[dict]:
    """Top-level sections with their subsections, for the masthead and footer."""
    key = MENU_CACHE_KEY.format(root_id=root_page_id)
    return framed(key, lambda: _menu(frame_versioned(key), root_page_id))


def _menu(key: str, root_page_id: int) -> list[dict]:
    items = cache.get(key)
    if items is None:
        items = []
        home = Page.objects.filter(pk=root_page_id).first()
        if home is not None:
            sections = (
                SectionPage.objects.live()
                .in_menu()
                .descendant_of(home)
                .filter(depth__lte=home.depth + 2)
                .order_by("path")
            )
            for section in sections:
                entry = {"title": section.title, "url": section.url, "children": []}
                if section.depth == home.depth + 1:
                    items.append(entry)
                elif items:
                    items[-1]["children"].append(entry)
        cache.set(key, items, 60 * 60)
    return items


def featured(home_id: int, limit: int = FEATURED_ON_HOME, now=None):
    """Stories in the edition's "Nổi bật" slots, in the editors' order, until each slot ends."""
    now = now or timezone.now()
    return (
        ArticlePage.objects.listed()
        .filter(featured_slots__home_id=home_id)
        .exclude(featured_slots__ends_at__lte=now)
        .order_by("featured_slots__sort_order")[:limit]
    )


def _menu_sections(home: Page) -> list[SectionPage]:
    """The home's menu sections, kept in this worker until the frame changes (a
    section published, moved or renamed changes it): every home render asks for them."""
    return framed(
        f"frontpage:home-sections:{home.pk}",
        lambda: list(SectionPage.objects.live().in_menu().child_of(home).order_by("path")),
    )


def _blocks_sql(home: Page, sections: list[SectionPage]) -> tuple[str, list]:
    """Each section's newest story ids (one LIMIT per section, glued with UNION ALL), as
    one SQL statement built once per frame: the ORM took longer to build it than
    the database to answer it."""

    def build() -> tuple[str, list]:
        parts, params = [], []
        for n, section in enumerate(sections):
            newest = section.articles().values_list("pk", flat=True)[:STORIES_PER_SECTION_BLOCK]
            sql, section_params = newest.query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS block{n}")
            params += section_params
        return " UNION ALL ".join(parts), params

    return framed(f"frontpage:home-blocks-sql:{home.pk}", build)


def _home_sql(home: Page, sections: list[SectionPage], now) -> tuple[str, list]:
    """One statement for the whole home: the featured stories (with their slot's order), the
    edition's newest and each section block's newest ids, each row with what its card's key
    needs (`Listed`). Built once per frame (the ORM took longer to build it than the
    database to answer it); only the time the featured slots are checked against changes."""

    ops = connections[ArticlePage.objects.listed().db].ops

    def build() -> tuple[str, list, int]:
        featured_sql, params = (
            featured(home.pk, now=now)
            .values_list("pk", "featured_slots__sort_order")
            .query.sql_with_params()
        )
        adapted = ops.adapt_datetimefield_value(now)  # SQLite's: a string
        now_at = next(n for n, param in enumerate(params) if param is now or param == adapted)
        newest = ArticlePage.objects.listed().descendant_of(home).values_list("pk", flat=True)
        newest_sql, newest_params = newest[
            : LATEST_ON_HOME + FEATURED_ON_HOME
        ].query.sql_with_params()
        parts = [
            f'SELECT 0 AS part, f.pk AS id, f."featured_slots__sort_order" AS slot'
            f" FROM ({featured_sql}) AS f",
            f"SELECT 1, n.pk, 0 FROM ({newest_sql}) AS n",
        ]
        params = [*params, *newest_params]
        for n, section in enumerate(sections):
            block = section.articles().values_list("pk", flat=True)[:STORIES_PER_SECTION_BLOCK]
            block_sql, block_params = block.query.sql_with_params()
            parts.append(f"SELECT 2, b{n}.pk, 0 FROM ({block_sql}) AS b{n}")
            params += block_params
        page, story, photo = (m._meta.db_table for m in (Page, ArticlePage, Photo))
        sql = (
            f"SELECT picked.part, picked.slot, p.id, p.path, p.url_path, p.first_published_at,"
            f" p.last_published_at, s.cover_image_id, i.file, i.focal_point_x, i.focal_point_y,"
            f" i.focal_point_width, i.focal_point_height"
            f" FROM ({' UNION ALL '.join(parts)}) AS picked"
            f" JOIN {page} p ON p.id = picked.id JOIN {story} s ON s.page_ptr_id = p.id"
            f" LEFT JOIN {photo} i ON i.id = s.cover_image_id"
        )
        return sql, params, now_at

    sql, params, now_at = framed(f"frontpage:home-sql:{home.pk}", build)
    params = list(params)
    params[now_at] = ops.adapt_datetimefield_value(now)
    return sql, params


def _home_rows(home: Page, sections: list[SectionPage]) -> list[tuple]:
    """The rows of the home's statement, kept in this worker until the next content change
    or the end of the first featured slot to end, whichever comes first (at most
    changes.KEPT_SECONDS): every uncached home render would otherwise wait on the database
    for the same answer (its planning alone costs more than the rest of the render's SQL)."""
    now = timezone.now()
    key = versioned(f"frontpage:home-rows:{home.pk}")
    rows, until = kept_here(key, lambda: _read_home_rows(home, sections, now))
    if until is not None and now >= until:
        forget_kept(key)
        rows, until = kept_here(key, lambda: _read_home_rows(home, sections, now))
    return rows


def _read_home_rows(home: Page, sections: list[SectionPage], now) -> tuple[list[tuple], object]:
    with connections[ArticlePage.objects.listed().db].cursor() as cursor:
        cursor.execute(*_home_sql(home, sections, now))
        rows = cursor.fetchall()
    ends = ArticlePage.objects.filter(
        featured_slots__home_id=home.pk, featured_slots__ends_at__gt=now
    ).aggregate(first_end=Min("featured_slots__ends_at"))
    return rows, ends["first_end"]


class Listed:
    """A story as the home lists it: what its card's key needs (frontpage's `story_card`),
    read in the home's one statement without building a page object; the story itself, with
    its cover, is fetched only for a card this worker does not keep, once for all of them."""

    __slots__ = ("pk", "path", "url_path", "first_published_at", "last_published_at")
    __slots__ += ("cover_image_id", "cover_identity", "_stories")

    def __init__(self, row: tuple, stories: "_Stories"):
        self.pk, self.path, self.url_path = row[:3]
        self.first_published_at, self.last_published_at = _aware(row[3]), _aware(row[4])
        self.cover_image_id = row[5]
        self.cover_identity = (row[5], *row[6:]) if row[5] is not None else None
        self._stories = stories

    def story(self) -> ArticlePage | None:
        """The story itself (None if unpublished since the home's statement was read)."""
        return self._stories.get(self.pk)


def _aware(value):
    """A time as the ORM gives it (SQLite's driver hands a raw statement naive UTC times)."""
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        return timezone.make_aware(value, UTC)
    return value


class _Stories:
    """The home's stories, fetched with their covers on the first card not kept."""

    def __init__(self, ids: list[int]):
        self.ids = ids
        self.found: dict[int, ArticlePage] | None = None

    def get(self, pk: int) -> ArticlePage | None:
        if self.found is None:
            stories = ArticlePage.objects.listed().filter(pk__in=self.ids)
            self.found = {s.pk: s for s in stories.select_related("cover_image")}
            attach_covers(list(self.found.values()), *LISTING_RENDITIONS)
        return self.found.get(pk)


def section_blocks(home: Page, stories: dict | None = None):
    """Each menu section's latest stories: [(section, [story, …])], newest first. `stories`
    (by id) are those already fetched; only the others are read (covers not fetched:
    see `home_context`)."""
    sections = _menu_sections(home)
    if not sections:
        return []
    if stories is None:
        with connections[ArticlePage.objects.listed().db].cursor() as cursor:
            cursor.execute(*_blocks_sql(home, sections))
            ids = [row[0] for row in cursor.fetchall()]
        stories = {s.pk: s for s in ArticlePage.objects.listed().filter(pk__in=ids)}
    blocks = []
    for section in sections:
        # A section's stories are its descendants: their tree path starts with its own.
        mine = [s for s in stories.values() if s.path.startswith(section.path)]
        mine.sort(key=lambda s: (s.first_published_at, s.pk), reverse=True)
        if mine:
            blocks.append((section, mine[:STORIES_PER_SECTION_BLOCK]))
    return blocks


def home_context(request, home: Page) -> dict:
    """Featured, latest and section blocks, in one statement (`_home_sql`): stories as
    `Listed`, whose cards are mostly kept in this worker; the others are fetched together."""
    sections = _menu_sections(home)
    rows = _home_rows(home, sections)
    stories = _Stories(list({row[2] for row in rows}))
    listed = {row[2]: Listed(row[2:], stories) for row in rows}
    top = [listed[row[2]] for row in sorted((r for r in rows if r[0] == 0), key=lambda r: r[1])]
    top_ids = {s.pk for s in top}
    newest = [listed[row[2]] for row in rows if row[0] == 1 and row[2] not in top_ids]
    newest.sort(key=lambda s: (s.first_published_at, s.pk), reverse=True)  # published()'s
    blocks = section_blocks(home, {row[2]: listed[row[2]] for row in rows if row[0] == 2})
    return {"featured": top, "latest": newest[:LATEST_ON_HOME], "section_blocks": blocks}


def stories_page(request, home: Page, stories):
    """One page of a topic's or a pen name's stories in this edition, with their covers."""
    return covered_page(
        page_of(request, stories.descendant_of(home), settings.TOASOAN["PAGE_SIZE"])
    )


def rails(request, page: Page) -> dict:
    """The "Nổi bật" and "Mới nhất" rails beside a story (titles only: cheap and fast).

    The same for every story of an edition, so kept in the cache under the content
    generation (a publish refreshes them) and for a minute at most (featured slots end)."""
    site = Site.find_for_request(request)
    if site is None:
        return {"rail_featured": [], "rail_latest": []}
    edition_path = page.path[: Page.steplen * 2]  # the home page above this page
    home_id = edition_home_id(site.root_page_id)
    key = versioned(f"frontpage:rails:{site.pk}:{home_id}:{edition_path}")

    def build() -> dict:
        newest = (
            ArticlePage.objects.published()
            .filter(path__startswith=edition_path)
            .only("id", "title", "slug", "url_path", "first_published_at", "path", "depth")
        )
        return {
            "rail_featured": _rail_items(request, featured(home_id, limit=RAIL_SIZE + 1)),
            "rail_latest": _rail_items(request, newest[: RAIL_SIZE + 1]),
        }

    shared = kept(key, build, 60)
    return {
        name: [s for s in items if s["pk"] != page.pk][:RAIL_SIZE] for name, items in shared.items()
    }


def _rail_items(request, stories) -> list[dict]:
    return [
        {
            "pk": story.pk,
            "title": story.title,
            "url": story.get_url(request),
            "first_published_at": story.first_published_at,
        }
        for story in stories
    ]
