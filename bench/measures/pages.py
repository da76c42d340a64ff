"""Uncached render of the public pages: articles, section pages, the home page.

Through Django's test client with the whole-page cache middleware taken out
(override_settings), so every request renders the page: what a page-cache miss costs.
Times include routing, middleware, queries and templates — everything but the network.
Targets (on this "page cache off" render): article median ≤ 30 ms with ≤ 15 SQL queries,
home median ≤ 50 ms. What the app keeps between requests besides whole pages stays warm in
the median, as it does in production between two publishes: rails, menus, the site and
masthead, rendition lookups, story cards (per story version), the choice of related stories
(per story version, 10 minutes). Each page is also rendered "cold", with all of that emptied
first (Redis and the worker's memory): the worst case, reported beside it.
"""

import re
import time

from . import Context, goal, measurement, percentile, profile, progress, summary

ARTICLE_MEDIAN_MS = 30
ARTICLE_QUERIES = 15
HOME_MEDIAN_MS = 50
ARTICLES = 8  # spread from the newest story to the oldest
SECTIONS = 3  # the sections with the deepest archives


def _articles() -> list[tuple[str, str]]:
    from toasoan.newsroom.models import ArticlePage

    ordered = ArticlePage.objects.published().order_by("-first_published_at", "-pk").only("pk")
    total = ordered.count()
    picks = []
    for n in range(ARTICLES):
        offset = round(n * (total - 1) / max(1, ARTICLES - 1))
        page = ordered[offset]
        age = "newest" if n == 0 else "oldest" if n == ARTICLES - 1 else f"{offset:,}th newest"
        picks.append((f"article, {age}", page.specific.url))
    return picks


def _sections() -> list[tuple[str, str]]:
    from django.conf import settings

    from toasoan.newsroom.models import SectionPage

    sections = SectionPage.objects.live().filter(locale__language_code="vi")
    ranked = sorted(
        ((section.articles().count(), section) for section in sections),
        key=lambda pair: -pair[0],
    )[:SECTIONS]
    picks = [
        (f"section {section.slug} ({stories:,} stories), page 1", section.url)
        for stories, section in ranked
    ]
    if ranked:
        stories, deepest = ranked[0]
        last = max(1, -(-stories // settings.TOASOAN["PAGE_SIZE"]))  # the oldest page
        label = f"section {deepest.slug}, page {last} (oldest)"
        picks.append((label, f"{deepest.url}?page={last}"))
    return picks


def _page_cache_off():
    from django.conf import settings
    from django.test import override_settings

    kept = [m for m in settings.MIDDLEWARE if m != "toasoan.delivery.pagecache.PageCacheMiddleware"]
    return override_settings(MIDDLEWARE=kept)


def _empty_caches() -> None:
    """Everything kept between requests: Redis and this worker's memory (page copies, site,
    masthead and menus, story cards)."""
    from django.core.cache import caches

    from toasoan.delivery.pagecache import forget_worker_copies
    from toasoan.frontpage.templatetags.frontpage import cards
    from toasoan.newsroom.pictures import pictures

    for cache in caches.all():
        cache.clear()
    forget_worker_copies()
    cards.clear()
    pictures.clear()


def _timed(client, path: str, cold: bool = False) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if cold:
        _empty_caches()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, len(queries), len(response.content)


def _queries_of(client, path: str) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with _page_cache_off(), CaptureQueriesContext(connection) as queries:
        client.get(path)
    lines = [
        re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", q["sql"], count=1, flags=re.S)[:240]
        for q in queries.captured_queries
    ]
    return "\n".join(f"{n}. {line}" for n, line in enumerate(lines, 1))


def _profile_of(client, path: str, label: str):
    def why() -> str:
        with _page_cache_off():
            client.get(path)
            return profile(lambda: client.get(path), f"GET {path} — {label}, page cache off")

    return why


@measurement("render")
def render_times(ctx: Context) -> dict:
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    groups = {
        "article": _articles(),
        "section": _sections(),
        "home": [("home page", "/")],
    }
    progress("render: " + ", ".join(f"{len(v)} {k}" for k, v in groups.items()))
    every = [variant for variants in groups.values() for variant in variants]
    times = {label: [] for label, _ in every}
    cold = {label: [] for label, _ in every}
    queries: dict[str, int] = {}
    cold_queries: dict[str, int] = {}
    sizes: dict[str, int] = {}
    repeats = 3
    with _page_cache_off():
        client = Client()  # its middleware chain is built now, without the page cache
        for _, path in every:  # warm-up: connections, templates, renditions, OS cache
            _timed(client, path)
        for _ in range(ctx.rounds):
            # Warm renders of every page, then cold ones: a cold render empties what the
            # next page's warm render would otherwise have found.
            for _, path in every:
                _timed(client, path)  # refills what the last round's cold renders emptied
            for label, path in every:
                for _ in range(repeats):
                    elapsed, count, size = _timed(client, path)
                    times[label].append(elapsed)
                    queries[label] = max(queries.get(label, 0), count)
                    sizes[label] = size
            for label, path in every:
                elapsed, count, _ = _timed(client, path, cold=True)
                cold[label].append(elapsed)
                cold_queries[label] = max(cold_queries.get(label, 0), count)

    result: dict = {"per_page": {}, "targets": []}
    for kind, variants in groups.items():
        labels = [label for label, _ in variants]
        result[kind] = {
            **summary([t for label in labels for t in times[label]]),
            "queries_max": max(queries[label] for label in labels),
            "cold_median": summary([t for label in labels for t in cold[label]])["median"],
            "cold_queries_max": max(cold_queries[label] for label in labels),
        }
        for label, path in variants:
            result["per_page"][label] = {
                "path": path,
                **summary(times[label]),
                "queries": queries[label],
                "cold_median": summary(cold[label])["median"],
                "cold_queries": cold_queries[label],
                "kB": round(sizes[label] / 1024, 1),
            }

    def slowest(kind: str) -> tuple[str, str]:
        label, path = max(groups[kind], key=lambda v: percentile(times[v[0]], 50))
        return label, path

    def most_queries() -> tuple[str, str]:
        return max(groups["article"], key=lambda v: queries[v[0]])

    label, path = slowest("article")
    result["targets"].append(
        goal(
            "article uncached median (page cache off)",
            result["article"]["median"],
            ARTICLE_MEDIAN_MS,
            "ms",
            why=_profile_of(client, path, label),
        )
    )
    label, path = most_queries()
    result["targets"].append(
        goal(
            "article SQL queries (most of any article)",
            result["article"]["queries_max"],
            ARTICLE_QUERIES,
            "",
            why=lambda: f"GET {path} — {label}\n" + _queries_of(client, path),
        )
    )
    result["targets"].append(
        goal(
            "home uncached median (page cache off)",
            result["home"]["median"],
            HOME_MEDIAN_MS,
            "ms",
            why=_profile_of(client, "/", "home page"),
        )
    )
    return result
