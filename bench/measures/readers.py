"""What readers who actually arrive bring (issue #18): each measure runs on its own.

    python -m bench.run --stories 2000 --targets postgresql \
        --measures render_http,shared_links,memory,access_log,spike

- "render_http": uncached renders over HTTP at one connection (keep-alive, like nginx's
  upstream), under `toasoan-web` with the whole-page cache taken out
  (bench/uncached_settings.py): the seed article (photos in its body), a story with ten
  body photos and the home page. Targets: story median ≤ 15 ms, home ≤ 20 ms.
- "shared_links": a story asked for with unique ?fbclid=/?utm_…/?zarsrc= values, and with
  made-up ?x=N, from the app alone: answers from a cache, origin renders, Redis growth.
- "memory": peak RSS of each app worker after many uncached renders of varied pages (every
  story, section pages, topics, pen names). Target ≤ 150 MB.
- "access_log": cached throughput with the production default `WEB_ACCESS_LOG=1` against
  without, as a share of nginx serving a static copy. Target ≥ 40 %.
- "spike": a story just published; 200 connections ask for it and the home page through
  the nginx micro-cache with unique ?fbclid= values, caches cold: p50/p99, errors, origin
  renders, Redis growth.
"""

import http.client
import os
import re
import statistics
import time

from bench import harness

from . import Context, goal, measurement, progress, serving, summary

STORY_MS = 15
HOME_MS = 20
WORKER_MB = 150
LOGGED_RATIO = 40  # % of nginx static with the access log on
SPIKE_P99_MS = 50
TEN_PHOTOS_TITLE = "Mười khoảnh khắc trước mùa mưa bão"


def _seed_url() -> str:
    from toasoan.demo.loader import parse_seed_title
    from toasoan.newsroom.models import ArticlePage

    return ArticlePage.objects.live().filter(title=parse_seed_title()).first().specific.url


def _ten_photo_story() -> str:
    """A published story with ten photos in its body (made once, then found)."""
    from wagtail.rich_text import RichText

    from toasoan.newsroom.models import ArticleByline, ArticlePage, PenName, Photo, SectionPage

    found = ArticlePage.objects.live().filter(title=TEN_PHOTOS_TITLE).order_by("pk").first()
    if found:
        return found.url
    photos = list(Photo.objects.order_by("pk")[:10])
    section = SectionPage.objects.live().filter(locale__language_code="vi").first()
    body = []
    for n, photo in enumerate(photos, 1):
        text = f"Đoạn {n}: người dân và chính quyền cùng chuẩn bị ứng phó trước mùa mưa bão. " * 4
        body.append(("paragraph", RichText(f"<p>{text}</p>")))
        body.append(("photo", {"image": photo}))
    page = ArticlePage(
        title=TEN_PHOTOS_TITLE,
        kind="bai",
        sapo="Phóng sự ảnh: mười khoảnh khắc người dân chuẩn bị trước mùa mưa bão.",
        body=body,
        cover_image=photos[0],
    )
    page.bylines.add(ArticleByline(pen_name=PenName.objects.first(), sort_order=0))
    section.add_child(instance=page)
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk).url


def _one_connection(port: int, path: str, count: int) -> list[float]:
    """Milliseconds per request, one after another on one kept-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times = []
    try:
        for _ in range(count):
            start = time.perf_counter()
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            times.append((time.perf_counter() - start) * 1000)
            assert response.status == 200, (path, response.status)
    finally:
        connection.close()
    return times


@measurement("render_http")
def render_http(ctx: Context) -> dict:
    pages = {"seed article": _seed_url(), "ten body photos": _ten_photo_story(), "home": "/"}
    count = max(30, 20 * ctx.rounds)
    harness.stop_stale()
    stack = harness.Stack({**os.environ})
    port = harness.free_port()
    results: dict = {}
    try:
        progress(f"render_http: one toasoan-web worker without the page cache, {count} each")
        stack.app("uncached", port, 1, DJANGO_SETTINGS_MODULE="bench.uncached_settings")
        for label, path in pages.items():
            _one_connection(port, path, 5)  # warm: connections, templates, renditions
            times = _one_connection(port, path, count)
            results[label] = {"path": path, **summary(times)}
    finally:
        stack.close()
    story = max(results["seed article"]["median"], results["ten body photos"]["median"])
    return {
        "per_page": results,
        "targets": [
            goal(
                "uncached story over HTTP, one connection (median, worse of two)",
                story,
                STORY_MS,
                "ms",
            ),
            goal(
                "uncached home over HTTP, one connection (median)",
                results["home"]["median"],
                HOME_MS,
                "ms",
            ),
        ],
    }


def _redis_keys() -> int:
    from django.core.cache import cache

    client = getattr(cache, "client", None)
    return client.get_client().dbsize() if client else 0


def _count_answers(port: int, paths: list[str]) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    kinds: dict[str, int] = {}
    try:
        for path in paths:
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            kind = f"{response.status} {response.getheader('X-Cache') or '-'}"
            kinds[kind] = kinds.get(kind, 0) + 1
    finally:
        connection.close()
    return kinds


@measurement("shared_links")
def shared_links(ctx: Context) -> dict:
    from django.core.cache import cache

    from toasoan.newsroom.models import ArticlePage

    story = ArticlePage.objects.published().order_by("-first_published_at").first().specific
    requests = 10_000 if ctx.stories >= 100_000 else 4_000
    shares = [
        "fbclid=IwAR{n}",
        "utm_source=zalo&utm_medium=social&zarsrc={n}",
        "fbclid={n}&utm_campaign=bao",
        "gclid={n}&_gl=1*{n}",
    ]
    harness.stop_stale()
    stack = harness.Stack({**os.environ})
    port = harness.free_port()
    try:
        stack.app("shared", port, 2)
        cache.clear()
        first = _count_answers(port, [story.url])  # the page's one render, as after a publish
        before = _redis_keys()
        tracked = _count_answers(
            port, [f"{story.url}?{shares[n % 4].format(n=n)}" for n in range(requests)]
        )
        after_tracked = _redis_keys()
        made_up = _count_answers(port, [f"{story.url}?x={n}" for n in range(1000)])
        after_made_up = _redis_keys()
    finally:
        stack.close()
    renders = tracked.get("200 MISS", 0) + first.get("200 MISS", 0)
    cached = sum(v for k, v in tracked.items() if k.endswith("HIT"))
    return {
        "page": story.url,
        "requests": requests,
        "answers": tracked,
        "made_up_answers": made_up,
        "redis_keys": {"before": before, "after_shared": after_tracked, "after_x": after_made_up},
        "targets": [
            goal(
                "shared-link requests answered from a cache",
                round(100 * cached / requests, 2),
                99,
                "%",
                at_least=True,
            ),
            goal("origin renders for unique tracking parameters", renders, 2, ""),
            goal("Redis growth for unique tracking parameters", after_tracked - before, 2, "keys"),
            goal("Redis growth for ?x=N on a story", after_made_up - after_tracked, 0, "keys"),
        ],
    }


def _varied_paths(limit: int) -> list[str]:
    """Every story (newest first), each section's pages, topics and pen names: pages a
    crawler walks through, each rendered once."""
    from toasoan.newsroom.models import ArticlePage, PenName, SectionPage, Topic

    paths = []
    for section in SectionPage.objects.live().filter(locale__language_code="vi"):
        paths += [f"{section.url}?page={n}" for n in range(1, 6)]
    paths += [f"/chu-de/{slug}/" for slug in Topic.objects.values_list("slug", flat=True)[:300]]
    paths += [f"/tac-gia/{s}/" for s in PenName.objects.values_list("slug", flat=True)[:300]]
    stories = ArticlePage.objects.published().order_by("-first_published_at")
    paths += [story.url for story in stories.specific()[:limit]]
    return paths[:limit]


@measurement("memory")
def memory(ctx: Context) -> dict:
    count = int(ctx.options.get("pages") or (10_000 if ctx.stories >= 100_000 else 3_000))
    paths = _varied_paths(count)
    workers = int(ctx.options.get("workers") or 3)
    harness.stop_stale()
    stack = harness.Stack({**os.environ})
    port = harness.free_port()
    statuses: dict[int, int] = {}
    try:
        progress(f"memory: {len(paths)} varied uncached pages through {workers} workers")
        master = stack.app("memory", port, workers)
        start = time.monotonic()
        for path in paths:
            status = harness.fetch(f"http://127.0.0.1:{port}{path}", timeout=30)[0]
            statuses[status] = statuses.get(status, 0) + 1
        took = time.monotonic() - start
        workers_kb = {pid: harness.memory_kb(pid) for pid in harness.children(master.pid)}
    finally:
        stack.close()
    peak = [round(kb["VmHWM"] / 1024, 1) for kb in workers_kb.values()]
    rss = [round(kb["VmRSS"] / 1024, 1) for kb in workers_kb.values()]
    return {
        "pages": len(paths),
        "statuses": statuses,
        "seconds": round(took, 1),
        "worker_peak_mb": peak,
        "worker_rss_mb": rss,
        "targets": [
            goal(
                f"peak worker memory after {len(paths):,} varied uncached pages",
                max(peak),
                WORKER_MB,
                "MB",
            ),
        ],
    }


@measurement("access_log")
def access_log(ctx: Context) -> dict:
    from toasoan.delivery import nginx
    from toasoan.newsroom.models import ArticlePage

    seconds = int(ctx.options.get("wrk_seconds") or 10)
    workers = int(ctx.options.get("workers") or 3)
    path = ArticlePage.objects.published().order_by("-first_published_at").first().specific.url
    harness.stop_stale()
    stack = harness.Stack({**os.environ})
    ports = {name: harness.free_port() for name in ("quiet", "logged", "static")}
    prefix = harness.SERVE / "nginx-static"
    runs = {}
    try:
        stack.app("quiet", ports["quiet"], workers)
        stack.app("logged", ports["logged"], workers, WEB_ACCESS_LOG="1")
        copy = prefix / "static-copy" / path.lstrip("/")
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(harness.fetch(f"http://127.0.0.1:{ports['quiet']}{path}")[2])
        static = f"""
server {{
    listen 127.0.0.1:{ports["static"]};
    root {prefix}/static-copy;
    location / {{ default_type text/html; try_files $uri =404; }}
}}"""
        main = nginx.render_main(static, prefix, worker_processes="auto")
        if not re.search(r"^\s*user\s", main, re.M):
            main = "user root;\n" + main
        stack.nginx("nginx-static", main)
        for name, port in ports.items():
            url = f"http://127.0.0.1:{port}{path}"
            harness.wait_ready(url, stack.processes.get(name) or stack.processes["nginx-static"])
            for _ in range(3):
                harness.fetch(url)
            progress(f"access_log: wrk {name}, 50 connections, {seconds} s")
            runs[name] = harness.wrk(url, 50, seconds)
        log_lines = sum(1 for _ in (harness.SERVE / "logged.log").open("rb"))
    finally:
        stack.close()
    static_rps = runs["static"]["requests_per_s"] or 1
    ratios = {n: round(100 * runs[n]["requests_per_s"] / static_rps, 1) for n in runs}
    return {
        "page": path,
        "runs": runs,
        "ratio_to_static_percent": ratios,
        "log_lines": log_lines,
        "targets": [
            goal(
                "cached throughput with WEB_ACCESS_LOG=1, % of nginx static",
                ratios["logged"],
                LOGGED_RATIO,
                "%",
                at_least=True,
            ),
        ],
    }


@measurement("spike")
def spike(ctx: Context) -> dict:
    """A story just published, then 200 connections on it and on the home page, each
    request with its own ?fbclid=, through the micro-cache, every cache cold."""
    from django.core.cache import cache

    from toasoan.newsroom.models import ArticlePage

    seconds = int(ctx.options.get("wrk_seconds") or 10)
    workers = int(ctx.options.get("workers") or 3)
    page = ArticlePage.objects.published().order_by("-first_published_at").first().specific
    harness.stop_stale()
    stack = harness.Stack({**os.environ})
    ports = {"app": harness.free_port(), "micro": harness.free_port()}
    prefix = harness.SERVE / "nginx-spike"
    script = harness.SERVE / "unique-fbclid.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(
        "local n = 0\nrequest = function()\n  n = n + 1\n"
        '  return wrk.format("GET", wrk.path .. "?fbclid=IwAR" .. n .. "x" .. math.random(1e9))\n'
        "end\n"
    )
    runs = {}
    try:
        stack.app("spike", ports["app"], workers, WEB_ACCESS_LOG="1")
        main = serving.nginx_config(prefix, ports["app"], ports["micro"])
        stack.nginx("nginx-spike", main)
        harness.wait_ready(
            f"http://127.0.0.1:{ports['micro']}/robots.txt", stack.processes["nginx-spike"]
        )
        page.title = page.draft_title = page.title.split(" [")[0] + f" [{int(time.time())}]"
        page.save_revision().publish()  # the breaking story: every cache is now cold
        cache.clear()
        before = _redis_keys()
        log = harness.SERVE / "spike.log"
        lines_before = sum(1 for _ in log.open("rb"))
        for name, path in (("story", page.url), ("home", "/")):
            progress(f"spike: {name}, 200 connections, unique fbclid, {seconds} s")
            url = f"http://127.0.0.1:{ports['micro']}{path}"
            runs[name] = harness.wrk(url, 200, seconds, script=script)
        origin = sum(1 for _ in log.open("rb")) - lines_before
        growth = _redis_keys() - before
    finally:
        stack.close()
    p99 = max(run["p99_ms"] for run in runs.values())
    return {
        "page": page.url,
        "runs": runs,
        "origin_requests": origin,
        "redis_growth": growth,
        "p50_ms": statistics.median(run["p50_ms"] for run in runs.values()),
        "targets": [
            goal("spike p99 (worse of story and home)", p99, SPIKE_P99_MS, "ms"),
            goal("spike errors", sum(run["errors"] for run in runs.values()), 0, ""),
        ],
    }
