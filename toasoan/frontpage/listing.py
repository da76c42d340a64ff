"""What the public pages list: featured slots, latest stream, section blocks, rails, menus.

Every listing goes through `ArticlePage.objects.published()`, so drafts, scheduled and unpublished
stories never appear. Menus are cached under the content generation (toasoan.delivery), in
Redis and in each worker's memory, so a publish, unpublish, move or delete drops them on every
worker.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone
from wagtail.models import Page, Site

from toasoan.core.changes import kept, remembered, versioned
from toasoan.core.paging import page_of
from toasoan.editions.homes import edition_home_id
from toasoan.newsroom.models import (
    LISTING_RENDITIONS,
    ArticlePage,
    SectionPage,
    attach_covers,
    covered_page,
)

MENU_CACHE_KEY = "frontpage:menu:{root_id}"
LATEST_ON_HOME = 12
STORIES_PER_SECTION_BLOCK = 5
RAIL_SIZE = 6


def menu(root_page_id: int) -> list[dict]:
    """Top-level sections with their subsections, for the masthead and footer."""
    key = MENU_CACHE_KEY.format(root_id=root_page_id)
    return remembered(key, lambda: _menu(versioned(key), root_page_id))


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


def featured(home_id: int, limit: int = 8):
    """Stories in the edition's "Nổi bật" slots, in the editors' order, until each slot ends."""
    now = timezone.now()
    return (
        ArticlePage.objects.listed()
        .filter(featured_slots__home_id=home_id)
        .exclude(featured_slots__ends_at__lte=now)
        .order_by("featured_slots__sort_order")[:limit]
    )


def _menu_sections(home: Page) -> list[SectionPage]:
    """The home's menu sections, kept in this worker until the next content change (a
    section published, moved or renamed bumps it): every home render asks for them."""
    return remembered(
        f"frontpage:home-sections:{home.pk}",
        lambda: list(SectionPage.objects.live().in_menu().child_of(home).order_by("path")),
    )


def _blocks_sql(home: Page, sections: list[SectionPage]) -> tuple[str, list]:
    """Each section's newest story ids (one LIMIT per section, glued with UNION ALL), as
    one SQL statement built once per content change: the ORM took longer to build it than
    the database to answer it."""

    def build() -> tuple[str, list]:
        parts, params = [], []
        for n, section in enumerate(sections):
            newest = section.articles().values_list("pk", flat=True)[:STORIES_PER_SECTION_BLOCK]
            sql, section_params = newest.query.sql_with_params()
            parts.append(f"SELECT * FROM ({sql}) AS block{n}")
            params += section_params
        return " UNION ALL ".join(parts), params

    return remembered(f"frontpage:home-blocks-sql:{home.pk}", build)


def _newest_ids(home: Page, exclude: list[int], limit: int) -> tuple[list[int], list[int]]:
    """The ids of the edition's `limit` newest stories but those in `exclude` (a few more,
    in no order: the caller sorts and cuts), and the section blocks' story ids, in one
    round trip."""
    sections = _menu_sections(home)
    newest = ArticlePage.objects.listed().descendant_of(home).values_list("pk", flat=True)
    sql, params = newest[: limit + len(exclude)].query.sql_with_params()
    statement, params = f"SELECT 0, * FROM ({sql}) AS newest", list(params)
    if sections:
        blocks_sql, blocks_params = _blocks_sql(home, sections)
        statement += f" UNION ALL SELECT 1, * FROM ({blocks_sql}) AS blocks"
        params += blocks_params
    with connections[ArticlePage.objects.listed().db].cursor() as cursor:
        cursor.execute(statement, params)
        rows = cursor.fetchall()
    latest = [pk for part, pk in rows if part == 0 and pk not in exclude]
    return latest, [pk for part, pk in rows if part == 1]


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
    """Featured, latest and section blocks: the featured ids, then the latest and the blocks'
    ids in one statement, then every story with its cover in one query (renditions only of
    covers this worker has not shown lately, `attach_covers`)."""
    top_ids = list(featured(home.pk).values_list("pk", flat=True))
    latest_ids, block_ids = _newest_ids(home, top_ids, LATEST_ON_HOME)
    wanted = set(top_ids) | set(latest_ids) | set(block_ids)
    stories = {
        s.pk: s
        for s in ArticlePage.objects.listed().filter(pk__in=wanted).select_related("cover_image")
    }
    top = [stories[pk] for pk in top_ids if pk in stories]
    newest = [stories[pk] for pk in latest_ids if pk in stories]
    newest.sort(key=lambda s: (s.first_published_at, s.pk), reverse=True)  # published()'s
    newest = newest[:LATEST_ON_HOME]
    blocks = section_blocks(home, {pk: stories[pk] for pk in block_ids if pk in stories})
    attach_covers(list(stories.values()), *LISTING_RENDITIONS)
    return {"featured": top, "latest": newest, "section_blocks": blocks}


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
