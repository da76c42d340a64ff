"""The app served as in production: `toasoan-web` (Granian), nginx's micro-cache, wrk; two
app instances.

- "throughput": one cached article page under 50 and 200 connections (wrk), from (i) the
  app alone under `toasoan-web`, (ii) the app under gunicorn (deploy/gunicorn.conf.py, the
  other supported server: for comparison), (iii) nginx's micro-cache in front of (i),
  (iv) nginx serving a saved copy of the same page; each as a ratio to (iv) in the same
  run. Then the peak memory (VmHWM) of every app worker. Targets: app ≥ 10 % and
  micro-cache ≥ 70 % of static, zero errors at 200 connections, ≤ 250 MB per worker.
- "publish": two app instances on two ports sharing PostgreSQL + Redis; a changed title is
  published through Wagtail here (revision.publish()) and the *other* instance is polled
  until readers see it (the app's own purge of the page cache, nothing from the bench).
  Target ≤ 2 s, every run.
"""

import html
import os
import re
import secrets
import time
from pathlib import Path

from bench import harness

from . import Context, goal, measurement, profile, progress

APP_RATIO = 10  # percent of nginx-static throughput
MICROCACHE_RATIO = 70
WORKER_MB = 250
PUBLISH_S = 2.0
CONNECTIONS = (50, 200)


def nginx_config(
    prefix: Path, app_port: int, micro_port: int, static_port: int | None = None
) -> str:
    """One nginx: deploy/nginx/toasoan.conf (the production micro-cache, filled by
    toasoan.delivery.nginx) in front of the app and, given a static port, a second server
    with the saved copy of the page."""
    from django.conf import settings

    from toasoan.delivery import nginx

    site = nginx.render_site(
        app_servers=[f"127.0.0.1:{app_port}"],
        listen=f"127.0.0.1:{micro_port}",
        cache_dir=str(prefix / "cache"),
        static_root=str(settings.STATIC_ROOT),
        media_root=str(settings.MEDIA_ROOT),
        public_scheme="http",
    )
    if static_port:
        site += f"""
server {{
    listen 127.0.0.1:{static_port};
    root {prefix}/static-copy;
    location / {{ default_type text/html; try_files $uri =404; }}
}}"""
    main = nginx.render_main(site, prefix, worker_processes="auto")
    if not re.search(r"^\s*user\s", main, re.M):
        main = "user root;\n" + main  # workers read the copy and cache under bench/data
    return main


def _article():
    from toasoan.newsroom.models import ArticlePage

    return ArticlePage.objects.published().order_by("-first_published_at", "-pk").first().specific


def _worker_count(ctx: Context) -> int:
    return int(ctx.options.get("workers") or 3)


def _cached_request_profile(path: str):
    def why() -> str:
        from django.test import Client

        client = Client()
        client.get(path)
        client.get(path)  # now whatever the app caches is warm
        return profile(
            lambda: [client.get(path) for _ in range(100)],
            f"100 × GET {path}, cache warm, in-process",
        )

    return why


@measurement("throughput")
def throughput(ctx: Context) -> dict:
    seconds = int(ctx.options.get("wrk_seconds") or 10)
    workers = _worker_count(ctx)
    page = _article()
    path = page.url
    harness.stop_stale()
    stack = harness.Stack({**os.environ})
    ports = {name: harness.free_port() for name in ("app", "gunicorn", "micro", "static")}
    prefix = harness.SERVE / "nginx"
    try:
        progress(f"throughput: toasoan-web and gunicorn ({workers} workers each)")
        master = stack.app("app", ports["app"], workers)
        gunicorn = stack.gunicorn("gunicorn-app", ports["gunicorn"], workers)
        app_url = f"http://127.0.0.1:{ports['app']}{path}"
        status, headers, body = harness.fetch(app_url)
        assert status == 200, (app_url, status)
        for _ in range(3):
            harness.fetch(app_url)
        copy = prefix / "static-copy" / path.lstrip("/")
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(harness.fetch(app_url)[2])
        stack.nginx("nginx", nginx_config(prefix, ports["app"], ports["micro"], ports["static"]))
        urls = {
            "static": f"http://127.0.0.1:{ports['static']}{path}",
            "app": app_url,
            "gunicorn": f"http://127.0.0.1:{ports['gunicorn']}{path}",
            "microcache": f"http://127.0.0.1:{ports['micro']}{path}",
        }
        harness.wait_ready(urls["static"], stack.processes["nginx"])
        for url in urls.values():
            status, _, body = harness.fetch(url)
            assert status == 200, (url, status)
        micro_status = [harness.fetch(urls["microcache"])[1].get("X-Micro-Cache") for _ in range(3)]

        runs: dict[str, dict] = {}
        for connections in CONNECTIONS:
            for name, url in urls.items():
                progress(f"wrk {name}, {connections} connections, {seconds} s")
                runs[f"{name}@{connections}"] = harness.wrk(url, connections, seconds)
        workers_kb = {pid: harness.memory_kb(pid) for pid in harness.children(master.pid)}
        gunicorn_kb = {pid: harness.memory_kb(pid) for pid in harness.children(gunicorn.pid)}
    finally:
        stack.close()

    ratios = {}
    for connections in CONNECTIONS:
        static = runs[f"static@{connections}"]["requests_per_s"] or 1
        for name in ("app", "gunicorn", "microcache"):
            ratio = 100 * runs[f"{name}@{connections}"]["requests_per_s"] / static
            ratios[f"{name}@{connections}"] = round(ratio, 1)
    peak_mb = [round(kb["VmHWM"] / 1024, 1) for kb in workers_kb.values()]
    app_ratio = min(ratios[f"app@{c}"] for c in CONNECTIONS)
    micro_ratio = min(ratios[f"microcache@{c}"] for c in CONNECTIONS)
    errors_200 = {name: runs[f"{name}@200"]["errors"] for name in urls}

    def micro_why() -> str:
        return (
            f"X-Micro-Cache of three requests before the runs: {micro_status}; "
            f"response headers from the app: Cache-Control={headers.get('Cache-Control')!r}, "
            f"Vary={headers.get('Vary')!r}, Set-Cookie={'Set-Cookie' in headers}"
        )

    def errors_why() -> str:
        return "; ".join(
            f"{name}: {run.get('socket_error_detail', {})}, non-2xx/3xx {run['non_2xx_3xx']}"
            for name, run in runs.items()
            if name.endswith("@200")
        )

    return {
        "page": path,
        "app_server": "toasoan-web (Granian, toasoan.delivery.appserver)",
        "workers": workers,
        "gunicorn_config": str(harness.GUNICORN_CONF.relative_to(harness.ROOT)),
        "nginx_microcache_config": "deploy/nginx/toasoan.conf (toasoan.delivery.nginx)",
        "app_response_headers": {
            k: headers.get(k) for k in ("Cache-Control", "Vary", "ETag", "Last-Modified", "Age")
        },
        "microcache_status_before": micro_status,
        "runs": runs,
        "ratio_to_static_percent": ratios,
        "worker_memory_mb": {str(pid): round(kb["VmHWM"] / 1024) for pid, kb in workers_kb.items()},
        "gunicorn_worker_memory_mb": {
            str(pid): round(kb["VmHWM"] / 1024) for pid, kb in gunicorn_kb.items()
        },
        "targets": [
            goal(
                "app-served cached page, % of nginx static (worse of 50/200 conn.)",
                app_ratio,
                APP_RATIO,
                "%",
                at_least=True,
                why=_cached_request_profile(path),
            ),
            goal(
                "nginx micro-cache, % of nginx static (worse of 50/200 conn.)",
                micro_ratio,
                MICROCACHE_RATIO,
                "%",
                at_least=True,
                why=micro_why,
            ),
            goal(
                "errors at 200 connections (app, gunicorn, micro-cache, static)",
                sum(errors_200.values()),
                0,
                "",
                why=errors_why,
            ),
            goal(
                "peak memory per app worker (VmHWM, after the wrk runs)",
                max(peak_mb) if peak_mb else None,
                WORKER_MB,
                "MB",
            ),
        ],
    }


@measurement("publish")
def publish_to_visible(ctx: Context) -> dict:
    """Median and max seconds from revision.publish() to the new title on the other app."""
    from toasoan.newsroom.models import ArticlePage

    runs = max(5, ctx.rounds)
    workers = min(2, _worker_count(ctx))
    page = _article()
    original = page.title
    path = page.url
    harness.stop_stale()
    stack = harness.Stack({**os.environ})
    ports = {name: harness.free_port() for name in ("a", "b")}
    samples: list[float] = []
    publish_ms: list[float] = []
    timeline: list[str] = []
    try:
        progress(f"publish: two app instances on :{ports['a']} and :{ports['b']}")
        stack.app("app-a", ports["a"], workers)
        stack.app("app-b", ports["b"], workers)
        other = f"http://127.0.0.1:{ports['b']}{path}"
        for n in range(1, runs + 1):
            for port in ports.values():  # both instances have the page cached
                for _ in range(3):
                    harness.fetch(f"http://127.0.0.1:{port}{path}")
            marker = f"bench-{n}-{secrets.token_hex(3)}"
            title = f"{original} [{marker}]"
            page = ArticlePage.objects.get(pk=page.pk)
            page.title = page.draft_title = title
            revision = page.save_revision()
            start = time.perf_counter()
            revision.publish()
            published = time.perf_counter() - start
            seen, polls = None, 0
            while time.perf_counter() - start < 10:
                polls += 1
                if html.escape(title) in harness.fetch(other)[2].decode():
                    seen = time.perf_counter() - start
                    break
                time.sleep(0.01)
            samples.append(round(seen, 3) if seen is not None else None)
            publish_ms.append(round(published * 1000, 1))
            timeline.append(
                f"run {n}: publish() {published * 1000:.0f} ms, visible on the other "
                f"instance after {seen if seen is None else f'{seen:.3f} s'} ({polls} polls)"
            )
    finally:
        try:
            page = ArticlePage.objects.get(pk=page.pk)
            page.title = page.draft_title = original
            page.save_revision().publish()
        finally:
            stack.close()

    seen = [s for s in samples if s is not None]
    worst = max(seen) if len(seen) == len(samples) else None

    def why() -> str:
        page_now = ArticlePage.objects.get(pk=page.pk)
        page_now.title = page_now.draft_title = original
        revision = page_now.save_revision()
        return "\n".join(timeline) + "\n\n" + profile(revision.publish, "revision.publish()")

    return {
        "page": path,
        "runs": len(samples),
        "visible_s": samples,
        "median_s": sorted(seen)[len(seen) // 2] if seen else None,
        "max_s": worst,
        "publish_call_ms": publish_ms,
        "targets": [
            goal(
                "publish-to-visible on the other instance (worst run)",
                worst,
                PUBLISH_S,
                "s",
                why=why,
            ),
        ],
    }
