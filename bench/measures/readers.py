"""What readers who actually arrive bring (issue #18): each measure runs on its own.

    python -m bench.run --stories 2000 --targets postgresql \
        --measures render_http,shared_links,memory,access_log,spike

- "render_http": uncached renders over HTTP at one connection (keep-alive, like nginx's
  upstream), under `toasoan-web` with the whole-page cache taken out
  (bench/uncached_settings.py): the seed article (photos in its body), a story with ten
  body photos and the home page. Targets: story median ≤ 15 ms, home ≤ 20 ms.
- "shared_links": a story asked for with unique ?fbclid=/?utm_…/?zarsrc= values, and with
  made-up ?x=N, from the app alone: answers from a cache, origin renders, Redis growth.
- "links": the same through the nginx micro-cache (10,000 requests, a content change
  published and purged half way): answers from a cache, the story's renders per change
  (the app's access log), Redis keys and nginx entries, none added by ?x=N.
- "memory": peak RSS of each app worker after many uncached renders of varied pages (every
  story, section pages, topics, pen names). Target ≤ 150 MB.
- "access_log": cached throughput with the production default `WEB_ACCESS_LOG=1` against
  without, as a share of nginx serving a static copy. Target ≥ 40 %.
- "spike": a story just published; 200 connections ask for it and the home page through
  the nginx micro-cache with unique ?fbclid= values, asking for gzip as browsers do, caches
  cold: p50/p99, errors, origin renders, Redis growth.
"""

import http.client
import os
import random
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench import harness

from . import Context, goal, measurement, progress, serving, summary

STORY_MS = 15
HOME_MS = 20
WORKER_MB = 150
LOGGED_RATIO = 40  # % of nginx static with the access log on
SPIKE_P99_MS = 50
PUBLISH_MS = 100
VISIBLE_S = 2
TEN_PHOTOS_TITLE = "Mười khoảnh khắc trước mùa mưa bão"


def _seed_url() -> str:
    from toasoan.demo.loader import parse_seed_title
    from toasoan.newsroom.models import ArticlePage

    return ArticlePage.objects.live().filter(title=parse_seed_title()).first().specific.url


def _ten_photo_story() -> str:
    """A published story with ten photos in its body (made once, then found)."""
    from wagtail.rich_text import RichText

    from toasoan.newsroom.models import ArticleByline, ArticlePage, PenName, Photo, SectionPage
    from toasoan.newsroom.pictures import PHOTO_SPECS

    photos = list(Photo.objects.order_by("pk")[:10])
    for photo in photos:  # their story sizes, as the task worker makes them after a publish
        photo.get_renditions(*PHOTO_SPECS)
    found = ArticlePage.objects.live().filter(title=TEN_PHOTOS_TITLE).order_by("pk").first()
    if found:
        return found.url
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


def _cpu_ms(pid: int) -> float:
    """CPU time a process has used (user + system), in ms: on a busy machine a request's
    wall time grows with the load, its CPU time much less."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


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
        master = stack.app(
            "uncached",
            port,
            1,
            DJANGO_SETTINGS_MODULE="bench.uncached_settings",
            TASKS_BACKEND="database",  # as production: a missing photo size is queued
        )
        worker = harness.children(master.pid)[0]
        for label, path in pages.items():
            _one_connection(port, path, 5)  # warm: connections, templates, renditions
            cpu = _cpu_ms(worker)
            times = _one_connection(port, path, count)
            cpu = round((_cpu_ms(worker) - cpu) / count, 1)
            results[label] = {"path": path, **summary(times), "worker_cpu_ms": cpu}
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


def _redis_names() -> set[str]:
    from django.core.cache import cache

    client = getattr(cache, "client", None)
    return {k.decode() for k in client.get_client().scan_iter(count=1000)} if client else set()


def _app_answer(response) -> str:
    return f"{response.status} {response.getheader('X-Cache') or '-'}"


def _count_answers(port: int, paths: list[str], kind_of=_app_answer) -> dict:
    """Each request on one kept-alive connection; the answers counted by `kind_of`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    kinds: dict[str, int] = {}
    try:
        for path in paths:
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            response = connection.getresponse()
            response.read()
            kind = kind_of(response)
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


SHARES = (
    "fbclid=IwAR{n}",
    "utm_source=zalo&utm_medium=social&zarsrc={n}",
    "fbclid={n}&utm_campaign=bao",
    "utm_source=facebook&utm_content={n}&zalo_share={n}",
    "gclid={n}&_gl=1*{n}",
)


def _micro_answer(response) -> str:
    """nginx's cache status (X-Micro-Cache) and, where nginx asked the app, the app's."""
    micro = response.getheader("X-Micro-Cache") or "-"
    app = response.getheader("X-Cache") or "-"
    return f"{response.status} {micro}" + (f"/{app}" if micro in ORIGIN else "")


def _through_micro(port: int, paths: list[str]) -> dict:
    return _count_answers(port, paths, _micro_answer)


ORIGIN = ("MISS", "EXPIRED", "BYPASS", "-")  # nginx's statuses that went to the app


def _from_a_cache(kinds: dict) -> int:
    """Answers nginx served from its copy, or the app from its own (front door, Redis)."""
    return sum(n for kind, n in kinds.items() if kind.startswith("200 ") and "MISS" not in kind)


def _cache_entries(prefix) -> int:
    return sum(1 for f in (prefix / "cache").rglob("*") if f.is_file())


def _app_log(log) -> list[str]:
    return log.read_text(errors="replace").splitlines() if log.exists() else []


def _rendered(lines: list[str], path: str) -> int:
    """App requests for `path` (any query) that rendered the page: logged `MISS`."""
    return sum(1 for line in lines if f"GET {path}" in line and line.endswith(" MISS"))


@measurement("links")
def links(ctx: Context) -> dict:
    """Shared links through the nginx micro-cache: 10,000 requests to one story with unique
    ?fbclid=/?utm_…/?zarsrc= values, a correction (published, purged) half way, then
    made-up ?x=N on the story and the home page. Counts answers from a cache, the app's
    renders (its access log), Redis keys and nginx's cache entries."""
    from django.core.cache import cache
    from django.test import override_settings

    from toasoan.delivery import purge
    from toasoan.newsroom.models import ArticlePage

    page = ArticlePage.objects.published().order_by("-first_published_at").first().specific
    requests = int(ctx.options.get("links") or 10_000)
    half = requests // 2
    harness.stop_stale()
    stack = harness.Stack({**os.environ})
    ports = {"app": harness.free_port(), "micro": harness.free_port()}
    prefix = harness.SERVE / "nginx-links"
    log = harness.SERVE / "links.log"
    log.unlink(missing_ok=True)
    fronts = {
        "links": {
            "BACKEND": "toasoan.delivery.purge.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{ports['micro']}",
        }
    }
    try:
        stack.app("links", ports["app"], 2, WEB_ACCESS_LOG="1")
        stack.nginx("nginx-links", serving.nginx_config(prefix, ports["app"], ports["micro"]))
        harness.wait_ready(
            f"http://127.0.0.1:{ports['micro']}/robots.txt", stack.processes["nginx-links"]
        )
        cache.clear()
        plain = [page.url, "/"]
        _through_micro(ports["micro"], plain)  # each page's one render (as after a publish)
        keys = {"before": _redis_keys()}
        shared = [f"{page.url}?{SHARES[n % len(SHARES)].format(n=n)}" for n in range(requests)]
        progress(f"links: {half:,} shared-link requests through the micro-cache")
        started = time.monotonic()
        first = _through_micro(ports["micro"], shared[:half])
        keys["after_first_half"] = _redis_keys()
        with override_settings(WAGTAILFRONTENDCACHE=fronts):  # a correction, published, purged
            page.sapo = page.sapo.split(" (Cập nhật")[0] + f" (Cập nhật {int(time.time())})"
            revision = page.save_revision()
            publish_start = time.perf_counter()
            revision.publish()
            publish_ms = (time.perf_counter() - publish_start) * 1000
            purge.drain()
        progress(f"links: published a change ({publish_ms:.0f} ms), {requests - half:,} more")
        assert page.url == plain[0], "the story moved"
        _through_micro(ports["micro"], plain)  # the change's one render of each
        keys["after_change"] = _redis_keys()
        names = _redis_names()
        second = _through_micro(ports["micro"], shared[half:])
        added = {"shared": sorted(_redis_names() - names)[:20]}
        took = time.monotonic() - started
        keys["after_shared"] = _redis_keys()
        entries = {"before_x": _cache_entries(prefix)}
        names = _redis_names()
        made_up = _through_micro(
            ports["micro"],
            [f"{page.url}?x={n}" for n in range(1000)] + [f"/?x={n}" for n in range(1000)],
        )
        keys["after_x"] = _redis_keys()
        added["x"] = sorted(_redis_names() - names)[:20]
        entries["after_x"] = _cache_entries(prefix)
        time.sleep(1)  # the app's log is written in batches
    finally:
        stack.close()
    lines = _app_log(log)
    renders = _rendered(lines, page.url)
    answers = {kind: first.get(kind, 0) + second.get(kind, 0) for kind in {*first, *second}}
    cached = _from_a_cache(answers)
    return {
        "page": page.url,
        "requests": requests,
        "seconds": round(took, 1),
        "answers": dict(sorted(answers.items())),
        "made_up_answers": dict(sorted(made_up.items())),
        "app_requests_for_story": sum(1 for line in lines if f"GET {page.url}" in line),
        "story_renders": renders,
        "publish_call_ms": round(publish_ms, 1),
        "redis_keys": keys,
        "redis_keys_added": added,
        "nginx_entries": entries,
        "targets": [
            goal(
                "shared-link requests answered from a cache (through nginx)",
                round(100 * cached / requests, 2),
                99,
                "%",
                at_least=True,
            ),
            goal("story renders per content change (shared links)", renders / 2, 2, ""),
            goal(
                "Redis growth for unique tracking parameters (both halves)",
                keys["after_first_half"]
                - keys["before"]
                + keys["after_shared"]
                - keys["after_change"],
                2,
                "keys",
            ),
            goal(
                "cache entries added by ?x=N on a story and home (Redis + nginx)",
                keys["after_x"] - keys["after_shared"] + entries["after_x"] - entries["before_x"],
                0,
                "",
            ),
        ],
    }


def _varied_paths(limit: int) -> list[str]:
    """Every story, then every section's, topic's and pen name's listing pages one deeper
    at a time, up to `limit`: pages a crawler walks through, each rendered once. Only pages
    that exist: a listing's page past its last answers 404 without rendering anything (on a
    small archive most of them were, and were read as failures)."""
    from django.conf import settings
    from wagtail.models import Site

    from toasoan.newsroom.models import ArticlePage, PenName, SectionPage, Topic

    stories = ArticlePage.objects.published().order_by("-first_published_at")
    paths = [story.url for story in stories.specific()[:limit]]
    home = Site.objects.get(is_default_site=True).root_page
    listings = [(s.url, s.articles().count()) for s in SectionPage.objects.live()]
    listings += [
        (f"/chu-de/{t.slug}/", ArticlePage.objects.about(t).descendant_of(home).count())
        for t in Topic.objects.all()
    ]
    listings += [
        (f"/tac-gia/{p.slug}/", ArticlePage.objects.signed_by(p).descendant_of(home).count())
        for p in PenName.objects.all()
    ]
    size = settings.TOASOAN["PAGE_SIZE"]
    for number in range(1, 60):  # a crawler walks listings deep
        paths += [f"{url}?page={number}" for url, n in listings if (number - 1) * size < n]
        if len(paths) >= limit:
            break
    paths = paths[:limit]
    random.Random(18).shuffle(paths)  # stories and listings mixed, as a crawler walks them
    return paths


@measurement("memory")
def memory(ctx: Context) -> dict:
    # BENCH_MEMORY_PAGES: fewer pages for an A/B on a busy machine (the target is at 10,000)
    count = int(ctx.options.get("pages") or os.environ.get("BENCH_MEMORY_PAGES") or 10_000)
    paths = _varied_paths(count)
    workers = int(ctx.options.get("workers") or 3)
    harness.stop_stale()
    # The workers from a production install (`pip install .`, no extras): what the bench's
    # venv adds ([test] extras that libraries import when found) is not production's memory.
    # BENCH_MEMORY_VENV=bench: from the bench's own venv, to compare.
    bench_venv = os.environ.get("BENCH_MEMORY_VENV") == "bench"
    python = None if bench_venv else harness.production_python()
    stack = harness.Stack({**os.environ})
    port = harness.free_port()
    statuses: dict = {}
    peaks: dict[int, float] = {}  # every worker seen, respawned ones too: its highest RSS
    sizes_before = _renditions()
    queued_before = _queued_sizes()
    try:
        progress(f"memory: {len(paths)} varied uncached pages through {workers} workers")
        # As production runs the web: a missing photo size is queued for the task worker
        # (not run here: its memory is not the web workers'), never made by a reader.
        master = stack.app("memory", port, workers, python, TASKS_BACKEND="database")
        start = time.monotonic()
        running = threading.Event()
        running.set()

        def sample() -> None:
            while running.is_set():
                for pid in harness.children(master.pid):
                    try:
                        kb = harness.memory_kb(pid)
                    except (OSError, AttributeError):
                        continue
                    peaks[pid] = max(peaks.get(pid, 0), kb["VmHWM"] / 1024)
                time.sleep(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()

        def ask(path: str):
            try:
                return harness.fetch(f"http://127.0.0.1:{port}{path}", timeout=60)[0]
            except OSError as error:  # a worker recycled under the request
                return type(error).__name__

        with ThreadPoolExecutor(max_workers=workers) as pool:  # every worker kept busy
            for status in pool.map(ask, paths):
                statuses[status] = statuses.get(status, 0) + 1
        took = time.monotonic() - start
        running.clear()
        sampler.join()
        workers_kb = {pid: harness.memory_kb(pid) for pid in harness.children(master.pid)}
    finally:
        stack.close()
    log = (harness.SERVE / "memory.log").read_text(errors="replace")
    peak = [round(kb["VmHWM"] / 1024, 1) for kb in workers_kb.values()]
    rss = [round(kb["VmRSS"] / 1024, 1) for kb in workers_kb.values()]
    highest = round(max([*peaks.values(), *peak]), 1)
    return {
        "pages": len(paths),
        "statuses": statuses,
        # Every page asked for exists: anything but a 200 (a status or a connection error
        # named by its exception, e.g. during a worker's respawn) is a failure.
        "failed": sum(n for status, n in statuses.items() if status != 200),
        "seconds": round(took, 1),
        "venv": str((python or harness.APP_SERVER).parent.parent),  # the workers' install
        "worker_peak_mb": peak,
        "worker_rss_mb": rss,
        "highest_worker_mb_seen": highest,
        "workers_seen": len(peaks),
        "recycled_for_rss": log.count("RSS over threshold"),
        # Sizes made by web workers while readers waited (production makes them in the task
        # worker at publish): each AVIF encode costs a worker tens of MB.
        "photo_sizes_made": _renditions() - sizes_before,
        "photo_size_tasks_queued": _queued_sizes() - queued_before,
        "targets": [
            goal(
                f"peak worker memory over {len(paths):,} varied uncached pages",
                highest,
                WORKER_MB,
                "MB",
            ),
        ],
    }


def _renditions() -> int:
    from toasoan.newsroom.models import Photo

    return Photo.get_rendition_model().objects.count()


def _queued_sizes() -> int:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path="toasoan.newsroom.tasks.render_sizes").count()


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


BREAKING = "Tin nóng: mưa lớn gây ngập sâu nhiều tuyến đường"
# What every reader's browser asks with a page (the spike's readers are browsers, not wrk).
BROWSER = ("Accept-Encoding: gzip, deflate, br, zstd",)


def publish_breaking(micro_port: int, wait_visible: bool) -> dict:
    """A new story published as production publishes it (TASKS_BACKEND=database: the purges
    and photo sizes are queued for the task worker), run in a child process with that
    environment. Returns how long publish() took and, asked to, how long until the home
    page through the micro-cache (which held the old home) shows the new story."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from toasoan.newsroom.models import ArticleByline, ArticlePage, PenName, SectionPage

    model = ArticlePage.objects.published().order_by("-first_published_at").first().specific
    section = SectionPage.objects.live().filter(locale__language_code="vi").first()
    stamp = f"{time.time():.3f}"
    page = ArticlePage(
        title=f"{BREAKING} [{stamp}]",
        kind="tin",
        sapo=model.sapo,
        body=model.body.raw_data,
        cover_image=model.cover_image,
    )
    page.bylines.add(ArticleByline(pen_name=PenName.objects.first(), sort_order=0))
    with transaction.atomic():
        section.add_child(instance=page)
        revision = page.save_revision()
    with CaptureQueriesContext(connection) as queries:
        cpu = time.process_time()
        start = time.perf_counter()
        revision.publish()
        published = time.perf_counter() - start
        cpu = time.process_time() - cpu
    found = {
        "publish_ms": round(published * 1000, 1),
        "publish_cpu_ms": round(cpu * 1000, 1),  # steadier than wall time on a busy machine
        "publish_queries": len(queries),
        "url": page.url,
        "title": page.title,
    }
    if wait_visible:
        home = f"http://127.0.0.1:{micro_port}/"
        visible = None
        while time.perf_counter() - start < 10:
            if stamp in harness.fetch(home)[2].decode():
                visible = round(time.perf_counter() - start, 3)
                break
            time.sleep(0.02)
        found["visible_s"] = visible
    return found


def publish_two(micro_port: int) -> dict:
    """In one process, as a web worker that has served before: a warm-up publish (the
    newest story again), then a story whose arrival on the home page is timed, then the
    breaking story of the spike."""
    from toasoan.newsroom.models import ArticlePage

    latest = ArticlePage.objects.published().exclude(title__startswith=BREAKING).first()
    latest.specific.save_revision().publish()
    first = publish_breaking(micro_port, wait_visible=True)
    return {"first": first, "breaking": publish_breaking(micro_port, wait_visible=False)}


def _publish_in_production_mode(micro_port: int) -> dict:
    import json
    import subprocess
    import sys

    env = {
        **os.environ,
        "TASKS_BACKEND": "database",
        "FRONTEND_CACHE_URLS": f"http://127.0.0.1:{micro_port}",
    }
    args = [sys.executable, "-m", "bench.measures.readers", "breaking", str(micro_port)]
    done = subprocess.run(
        args,
        env=env,
        cwd=harness.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@measurement("spike")
def spike(ctx: Context) -> dict:
    """A breaking story published as production does (purges queued for the task worker),
    then 200 connections on it and on the home page, each request with its own ?fbclid=,
    through the micro-cache, every cache cold. Before it, another publish measures
    publish() and publish-to-visible through the micro-cache."""
    import sys

    seconds = int(ctx.options.get("wrk_seconds") or 10)
    workers = int(ctx.options.get("workers") or 3)
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
    log = harness.SERVE / "spike.log"
    log.unlink(missing_ok=True)
    runs = {}
    try:
        stack.app("spike", ports["app"], workers, WEB_ACCESS_LOG="1")
        main = serving.nginx_config(prefix, ports["app"], ports["micro"])
        stack.nginx("nginx-spike", main)
        stack._start(  # the production task worker (deploy/systemd/toasoan-worker.service)
            "spike-worker",
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--queue-name",
             "default", "--interval", "0.25", "-v", "0"],
            harness.SERVE / "spike-worker.log",
            {"TASKS_BACKEND": "database",
             "FRONTEND_CACHE_URLS": f"http://127.0.0.1:{ports['micro']}"},
        )  # fmt: skip
        micro = f"http://127.0.0.1:{ports['micro']}"
        harness.wait_ready(f"{micro}/robots.txt", stack.processes["nginx-spike"])
        harness.fetch(f"{micro}/")  # nginx holds the home page the publish must replace
        time.sleep(1.5)  # the worker has started polling
        progress("spike: publishing two stories (purges queued), polling home through nginx")
        published = _publish_in_production_mode(ports["micro"])
        first, breaking = published["first"], published["breaking"]
        before = _redis_keys()
        lines_before = len(_app_log(log))
        for name, path in (("story", breaking["url"]), ("home", "/")):
            progress(f"spike: {name}, 200 connections, unique fbclid, {seconds} s")
            runs[name] = harness.wrk(f"{micro}{path}", 200, seconds, script=script, headers=BROWSER)
        growth = _redis_keys() - before
        # The same run again, every cache now warm: what the machine itself gives at 200
        # connections (a busy machine's tail), against which the cold fill's cost shows.
        progress(f"spike: story again, warm (control), {seconds} s")
        warm = harness.wrk(
            f"{micro}{breaking['url']}", 200, seconds, script=script, headers=BROWSER
        )
        time.sleep(1)  # the app's log is written in batches
        lines = _app_log(log)[lines_before:]
    finally:
        stack.close()
    p99 = max(run["p99_ms"] for run in runs.values())
    return {
        "page": breaking["url"],
        "runs": runs,
        "warm_control": warm,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "origin_requests": len(lines),
        "origin_renders": {
            "story": _rendered(lines, breaking["url"]),
            "home": sum(1 for line in lines if "GET /?" in line and line.endswith(" MISS"))
            + sum(1 for line in lines if "GET / " in line and line.endswith(" MISS")),
        },
        "redis_growth": growth,
        "p50_ms": statistics.median(run["p50_ms"] for run in runs.values()),
        "publish_call_ms": [first["publish_ms"], breaking["publish_ms"]],
        "publish_cpu_ms": [first["publish_cpu_ms"], breaking["publish_cpu_ms"]],
        "publish_queries": [first["publish_queries"], breaking["publish_queries"]],
        "publish_to_visible_s": first["visible_s"],
        "targets": [
            goal("spike p99 (worse of story and home)", p99, SPIKE_P99_MS, "ms"),
            goal("spike errors", sum(run["errors"] for run in runs.values()), 0, ""),
            goal(
                "publish() with purges queued (worse of two)",
                max(first["publish_ms"], breaking["publish_ms"]),
                PUBLISH_MS,
                "ms",
            ),
            goal(
                "publish-to-visible through the micro-cache (task worker purges)",
                first["visible_s"],
                VISIBLE_S,
                "s",
            ),
        ],
    }


if __name__ == "__main__":  # python -m bench.measures.readers breaking PORT [--wait-visible]
    import json
    import sys

    import django

    django.setup()
    if sys.argv[1] == "breaking":
        print(json.dumps(publish_two(int(sys.argv[2]))))
