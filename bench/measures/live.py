"""Live coverage under a crowd: "live_polling".

One open live blog (toasoan.live) behind the production nginx micro-cache (deploy/nginx/,
rendered by toasoan.delivery.nginx) in front of `toasoan-web` with its access log on. 1,000
simulated readers poll it as the page's script does (live.js): each on its own keep-alive
connection, once per time bucket, at a random moment 1.5–3.5 s into it, asking for the
bucket's URL. Meanwhile the desk publishes an entry every few seconds, from a process of
its own (so the app really renders fresh answers). The blog is taken as open a while: one
request warms nginx's copy first. Counted from the app's access log: requests for the update URL per
bucket (target ≤ 1: the micro-cache answers everyone else). Timed at the readers: p50/p99
of the update URL (target p99 ≤ 20 ms). Then wrk with 1,000 connections on the current
bucket's URL: the same URL under a far heavier, unpaced load.

Alone (own database, Redis, ports and folders; see bench/README or the report):
    BENCH_SERVE=/tmp/x/serve BENCH_LIVE_PORT=18210 python -m bench.worker --measures live
"""

import asyncio
import os
import random
import re
import time
from collections import Counter
from pathlib import Path

from bench import harness

from . import Context, goal, measurement, percentile, progress
from .serving import nginx_config

READERS = 1000
SECONDS = 40
MAX_APP_REQUESTS_PER_BUCKET = 1
P99_MS = 20.0
PUBLISH_EVERY_S = 7
BLOG_TITLE = "Bench: tường thuật trực tiếp"


def _blog():
    """An open live blog with some entries (made once), and the user that writes to it."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from toasoan.live import desk
    from toasoan.live.models import LiveBlogPage
    from toasoan.newsroom.models import SectionPage

    user, _ = get_user_model().objects.get_or_create(
        username="bench-live", defaults={"is_superuser": True, "is_staff": True}
    )
    blog = LiveBlogPage.objects.filter(title=BLOG_TITLE).first()
    if blog is None:
        section = SectionPage.objects.live().order_by("path").first()
        blog = LiveBlogPage(title=BLOG_TITLE, slug="bench-truc-tiep", summary="Bench.")
        section.add_child(instance=blog)
        blog.save_revision().publish()
        for n in range(30):
            desk.write(blog, user, text=f"Cập nhật số {n}: diễn biến mới tại hiện trường.")
    LiveBlogPage.objects.filter(pk=blog.pk).update(coverage_start=timezone.now(), coverage_end=None)
    return LiveBlogPage.objects.get(pk=blog.pk), user


async def _reader(port, path_for, until: float, times: list, statuses: Counter, by_cache) -> None:
    from toasoan.live.reading import BUCKET_SECONDS

    await asyncio.sleep(random.uniform(0, BUCKET_SECONDS))
    reader = writer = None
    while time.time() < until:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            bucket = int((time.time() - 1.5) // BUCKET_SECONDS)
            request = f"GET {path_for(bucket)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            started = time.perf_counter()
            writer.write(request.encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", head, re.I).group(1))
            await reader.readexactly(length)
            took = (time.perf_counter() - started) * 1000
            times.append(took)
            statuses[int(head.split()[1])] += 1
            cache = re.search(rb"x-micro-cache: (\w+)", head, re.I)
            kind = cache.group(1).decode() if cache else "no cache header"
            statuses[kind] += 1
            by_cache.setdefault(kind, []).append(took)
        except (OSError, asyncio.IncompleteReadError, AttributeError):
            statuses["error"] += 1
            writer = None
        now = time.time()
        next_poll = (now // BUCKET_SECONDS + 1) * BUCKET_SECONDS + 1.5 + random.uniform(0, 2)
        await asyncio.sleep(next_poll - now)
    if writer is not None:
        writer.close()


async def _crowd(port: int, path_for, seconds: float) -> tuple[list, Counter, dict]:
    until = time.time() + seconds
    times: list[float] = []
    statuses: Counter = Counter()
    by_cache: dict[str, list[float]] = {}
    readers = [
        asyncio.create_task(_reader(port, path_for, until, times, statuses, by_cache))
        for _ in range(READERS)
    ]
    await asyncio.gather(*readers)
    return times, statuses, by_cache


def _desk(blog_id: int, user_id: int, seconds: float, published) -> None:
    """The desk, in a process of its own (its Django work must not stall the readers' event
    loop, and so their timings): an entry every PUBLISH_EVERY_S seconds."""
    from django.contrib.auth import get_user_model
    from django.db import connections

    from toasoan.live import desk
    from toasoan.live.models import LiveBlogPage

    connections.close_all()  # the parent's connections are not this process's
    blog = LiveBlogPage.objects.get(pk=blog_id)
    user = get_user_model().objects.get(pk=user_id)
    until = time.time() + seconds
    while time.time() + PUBLISH_EVERY_S < until:
        time.sleep(PUBLISH_EVERY_S)
        desk.write(blog, user, text=f"Tin mới trong lúc đo, số {published.value}.")
        published.value += 1


def _app_requests(log: Path, blog_id: int) -> Counter:
    pattern = re.compile(rf'"GET /truc-tiep/{blog_id}/(\d+)\.json HTTP/1\.1" (\d+)')
    return Counter(m.group(1) for m in pattern.finditer(log.read_text(errors="replace")))


def _wrk_script(prefix: Path, blog_id: int) -> Path:
    from toasoan.live.reading import BUCKET_SECONDS

    script = prefix / "live.lua"
    script.write_text(
        "request = function()\n"
        f"  local bucket = math.floor((os.time() - 2) / {BUCKET_SECONDS})\n"
        f'  return wrk.format("GET", "/truc-tiep/{blog_id}/" .. bucket .. ".json")\n'
        "end\n"
    )
    return script


@measurement("live")
def live_polling(ctx: Context) -> dict:
    import multiprocessing

    from django.db import connections

    seconds = int(ctx.options.get("live_seconds") or SECONDS)
    blog, user = _blog()
    base = int(os.environ.get("BENCH_LIVE_PORT") or 0)
    ports = {"app": base or harness.free_port(), "micro": base + 1 if base else harness.free_port()}
    harness.stop_stale()
    stack = harness.Stack({**os.environ})
    prefix = harness.SERVE / "nginx-live"
    log = harness.SERVE / "live-app.log"
    log.unlink(missing_ok=True)
    try:
        progress(f"live: toasoan-web (2 workers, access log on), nginx on {ports['micro']}")
        stack.app("live-app", ports["app"], 2, WEB_ACCESS_LOG="1")
        stack.nginx("nginx-live", nginx_config(prefix, ports["app"], ports["micro"]))
        page_url = f"http://127.0.0.1:{ports['micro']}{blog.url}"
        harness.wait_ready(page_url, stack.processes["nginx-live"])

        path_for = f"/truc-tiep/{blog.pk}/{{}}.json".format
        # The blog has been open a while: nginx holds a copy (a blog's very first request
        # holds the others arriving during its render on nginx's cache lock, 500 ms polls).
        harness.fetch(f"http://127.0.0.1:{ports['micro']}{path_for(int(time.time() // 5))}")
        time.sleep(1)  # the log's writer flushes every half second
        skip = set(_app_requests(log, blog.pk))
        progress(f"live: {READERS} readers polling for {seconds} s")
        connections.close_all()
        fork = multiprocessing.get_context("fork")
        published = fork.Value("i", 0)
        writer = fork.Process(target=_desk, args=(blog.pk, user.pk, seconds, published))
        writer.start()
        times, statuses, by_cache = asyncio.run(_crowd(ports["micro"], path_for, seconds))
        writer.join(timeout=30)
        time.sleep(1.5)
        per_bucket = _app_requests(log, blog.pk)
        for bucket in skip:
            per_bucket.pop(bucket, None)
        progress("live: wrk, 1,000 connections on the current bucket's URL")
        wrk_run = harness.wrk(
            f"http://127.0.0.1:{ports['micro']}/",
            1000,
            int(ctx.options.get("wrk_seconds") or 10),
            script=_wrk_script(harness.SERVE, blog.pk),
        )
    finally:
        stack.close()
    most = max(per_bucket.values(), default=0)
    p99 = round(percentile(times, 99), 2) if times else None
    return {
        "readers": READERS,
        "seconds": seconds,
        "entries_published_meanwhile": published.value,
        "reader_requests": len(times),
        "statuses": {str(k): v for k, v in statuses.items()},
        "buckets_seen": len(per_bucket),
        "app_requests_per_bucket": dict(sorted(per_bucket.items())),
        "app_requests_max_per_bucket": most,
        "update_url_ms": {
            "over_20": sum(1 for t in times if t > P99_MS),
            "p50": round(percentile(times, 50), 2) if times else None,
            "p99": p99,
            "max": round(max(times), 2) if times else None,
        },
        "p99_ms_by_micro_cache_status": {
            kind: round(percentile(found, 99), 2) for kind, found in sorted(by_cache.items())
        },
        "load_average": os.getloadavg()[0],
        "wrk_1000_connections": wrk_run,
        "targets": [
            goal("app requests per blog per bucket", most, MAX_APP_REQUESTS_PER_BUCKET, ""),
            goal("update URL p99 (1,000 polling readers)", p99, P99_MS, "ms"),
        ],
    }
