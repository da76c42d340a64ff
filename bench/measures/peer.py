"""The peer (issue #18): Debian's WordPress on php-fpm + MariaDB against our app, both
uncached, side by side in the same run.

    make bench-peer
    python -m bench.run --targets postgresql --measures peer --stories 2000

WordPress is Debian's package (`wordpress`, `php-fpm`, `php-mysql`; installed here when
missing and run as root), its database `BENCH_WP_DB` (default `wp_bench`) on the MariaDB at
`BENCH_WP_MYSQL` (default 127.0.0.1:3306, user root without password), emptied and installed
afresh each run with WordPress's own functions (bench/peer_load.php, through `php`): the seed
story with its body photos and the newest `BENCH_PEER_POSTS` (default 500) stories of the
database measured, exported from it, photos as attachments with WordPress's image sizes,
the default theme, pretty permalinks, no page cache. Its wp-config is Debian's, which reads
/etc/wordpress/config-<name>.php (written here; nginx hands the name over as
WORDPRESS_CONFIG). One nginx serves WordPress through php-fpm and proxies to our app
(`toasoan-web` with bench/uncached_settings.py: every request renders), each with the same
number of workers. Per page (the seed story, home): median at one connection and the
workers' CPU time per request, then requests/s under wrk. Target: ours ≥ 3× faster per
request (median at one connection), article and home.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

from bench import harness

from . import Context, goal, measurement, progress, summary
from .readers import _cpu_ms, _one_connection, _seed_url

FASTER = 3  # ours at least this many times faster per request
WORDPRESS = Path("/usr/share/wordpress")
THEME = WORDPRESS / "wp-content" / "themes" / "twentytwentythree"
PACKAGES = ("wordpress", "wordpress-theme-twentytwentythree", "php-fpm", "php-mysql", "php-cli")
LOADER = harness.HERE / "peer_load.php"


def _php_fpm() -> str | None:
    found = sorted(Path("/usr/sbin").glob("php-fpm*"))
    return str(found[-1]) if found else None


def ensure_packages() -> None:
    """Debian's WordPress and php-fpm, installed when missing (as root), else a clear error."""
    if (WORDPRESS / "wp-settings.php").exists() and THEME.exists() and _php_fpm():
        return
    if os.geteuid() != 0:
        raise RuntimeError(f"The peer needs Debian's packages: sudo apt-get install {PACKAGES}")
    progress("peer: apt-get install " + " ".join(PACKAGES))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    apt = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES]
    subprocess.run(apt, env=env, check=True, stdout=subprocess.DEVNULL)


def _mysql(sql: str) -> None:
    host, _, port = (os.environ.get("BENCH_WP_MYSQL") or "127.0.0.1:3306").partition(":")
    args = ["mysql", "-h", host, "-P", port or "3306", "-u", "root", "-e", sql]
    subprocess.run(args, check=True, capture_output=True, text=True)


def export(path: Path, posts: int) -> dict:
    """The seed story and the newest `posts` stories as bench/peer_load.php reads them: title,
    sapo, date, section, topics, cover and body (paragraphs as HTML, photos by key)."""
    from django.utils.timezone import localtime
    from wagtail.rich_text import expand_db_html

    from toasoan.demo.loader import parse_seed_title
    from toasoan.newsroom.models import ArticlePage

    seed = ArticlePage.objects.live().filter(title=parse_seed_title()).first()
    newest = ArticlePage.objects.live().exclude(pk=seed.pk).order_by("-first_published_at")
    stories = [seed, *newest.select_related("cover_image")[: posts - 1]]
    photos: dict[str, dict] = {}

    def photo_key(photo) -> str:  # one attachment per image file (bench photos share files)
        key = photo.file.name
        photos.setdefault(
            key,
            {
                "file": photo.file.path,
                "title": photo.title,
                "caption": photo.caption or "",
                "credit": photo.credit or "",
            },
        )
        return key

    out = []
    for story in stories:
        blocks = []
        for block in story.body:
            if block.block_type == "photo" and block.value.get("image"):
                blocks.append(["photo", photo_key(block.value["image"])])
            elif block.block_type == "paragraph":
                blocks.append(["p", expand_db_html(block.value.source)])
            else:
                blocks.append(["p", str(block.render())])
        out.append(
            {
                "title": story.title,
                "excerpt": story.sapo,
                "date": localtime(story.first_published_at).strftime("%Y-%m-%d %H:%M:%S"),
                "section": story.get_parent().title,
                "tags": list(story.topics.names()),
                "cover": photo_key(story.cover_image) if story.cover_image else None,
                "blocks": blocks,
                "seed": story.pk == seed.pk,
            }
        )
    data = {"photos": photos, "posts": out}
    path.write_text(json.dumps(data, ensure_ascii=False))
    return {"posts": len(out), "photos": len(photos)}


def _config_name(database: str) -> str:
    return "toasoan-bench-" + database.replace("_", "-")


def install(prefix: Path, database: str, site_url: str, posts: int) -> dict:
    """A fresh WordPress in `database`, its wp-content under `prefix`, the stories loaded."""
    content = prefix / "wp-content"
    shutil.rmtree(content, ignore_errors=True)
    (content / "themes").mkdir(parents=True)
    (content / "plugins").mkdir()
    (content / "uploads").mkdir()
    (content / "themes" / THEME.name).symlink_to(THEME)
    _mysql(f"DROP DATABASE IF EXISTS `{database}`; CREATE DATABASE `{database}`")
    host = os.environ.get("BENCH_WP_MYSQL") or "127.0.0.1:3306"
    config = Path("/etc/wordpress") / f"config-{_config_name(database)}.php"
    config.write_text(
        "<?php // written by the Toà Soạn bench (bench/measures/peer.py) for its peer\n"
        f"define('DB_NAME', '{database}');\ndefine('DB_USER', 'root');\n"
        f"define('DB_PASSWORD', '');\ndefine('DB_HOST', '{host}');\n"
        f"define('WP_CONTENT_DIR', '{content}');\n"
        f"define('WP_CONTENT_URL', '{site_url}/wp-content');\n"
        f"define('WP_HOME', '{site_url}');\ndefine('WP_SITEURL', '{site_url}');\n"
        "define('WP_DEBUG', false);\ndefine('DISABLE_WP_CRON', true);\n"
        "define('AUTOMATIC_UPDATER_DISABLED', true);\n"
    )
    source = prefix / "stories.json"
    exported = export(source, posts)
    progress(f"peer: loading {exported['posts']} stories, {exported['photos']} photos")
    done = subprocess.run(
        ["php", "-d", "memory_limit=1G", str(LOADER), str(source), site_url],
        env={**os.environ, "WORDPRESS_CONFIG": _config_name(database)},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(f"WordPress install failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fpm_config(prefix: Path, workers: int) -> Path:
    conf = prefix / "php-fpm.conf"
    conf.write_text(
        f"""[global]
pid = {prefix}/php-fpm.pid
error_log = {prefix}/php-fpm.log
daemonize = no

[peer]
user = root
listen = {prefix}/php-fpm.sock
pm = static
pm.max_children = {workers}
"""
    )
    return conf


def _nginx_site(prefix: Path, wp_port: int, ours_port: int, app_port: int, name: str) -> str:
    """WordPress as its documentation serves it on nginx, and a plain proxy (no cache) to our
    app: both answers pass through the same nginx."""
    return f"""
upstream peer_php {{ server unix:{prefix}/php-fpm.sock; keepalive 8; }}
upstream ours {{ server 127.0.0.1:{app_port}; keepalive 8; }}
server {{
    listen 127.0.0.1:{wp_port};
    root {WORDPRESS};
    index index.php;
    location /wp-content/ {{ alias {prefix}/wp-content/; }}
    location / {{ try_files $uri $uri/ /index.php?$args; }}
    location ~ \\.php$ {{
        include /etc/nginx/fastcgi_params;
        fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
        fastcgi_param WORDPRESS_CONFIG {name};
        fastcgi_param HTTP_HOST 127.0.0.1:{wp_port};
        fastcgi_keep_conn on;
        fastcgi_pass peer_php;
    }}
}}
server {{
    listen 127.0.0.1:{ours_port};
    location / {{
        proxy_pass http://ours;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
    }}
}}"""


def _cpu_all(pids: list[int]) -> float:
    return sum(_cpu_ms(pid) for pid in pids)


def _side(port: int, path: str, pids: list[int], count: int, seconds: int) -> dict:
    _one_connection(port, path, 5)  # warm: connections, opcache/templates, renditions
    cpu = _cpu_all(pids)
    times = _one_connection(port, path, count)
    cpu = round((_cpu_all(pids) - cpu) / count, 1)
    run = harness.wrk(f"http://127.0.0.1:{port}{path}", 10, seconds)
    return {"path": path, **summary(times), "worker_cpu_ms": cpu, "wrk": run}


@measurement("peer")
def peer(ctx: Context) -> dict:
    from toasoan.delivery import nginx

    ensure_packages()
    workers = int(ctx.options.get("workers") or 3)
    seconds = int(ctx.options.get("wrk_seconds") or 10)
    posts = int(os.environ.get("BENCH_PEER_POSTS") or 500)
    database = os.environ.get("BENCH_WP_DB") or "wp_bench"
    count = max(30, 20 * ctx.rounds)
    harness.stop_stale()
    prefix = harness.SERVE / "wordpress"
    prefix.mkdir(parents=True, exist_ok=True)
    stack = harness.Stack({**os.environ})
    ports = {name: harness.free_port() for name in ("wp", "ours", "app")}
    site_url = f"http://127.0.0.1:{ports['wp']}"
    try:
        progress(f"peer: installing WordPress in {database}")
        loaded = install(prefix, database, site_url, posts)
        fpm = stack._start(
            "peer-php-fpm",
            [_php_fpm(), "--nodaemonize", "--allow-to-run-as-root", "-y",
             str(_fpm_config(prefix, workers))],
            harness.SERVE / "peer-php-fpm.log",
        )  # fmt: skip
        master = stack.app(
            "peer-ours", ports["app"], workers, DJANGO_SETTINGS_MODULE="bench.uncached_settings"
        )
        site = _nginx_site(prefix, ports["wp"], ports["ours"], ports["app"], _config_name(database))
        stack.nginx("nginx-peer", nginx.render_main(site, harness.SERVE / "nginx-peer", "auto"))
        harness.wait_ready(f"{site_url}/", stack.processes["nginx-peer"])
        pages = {"article": (_seed_url(), loaded["seed"]), "home": ("/", "/")}
        results: dict = {}
        for label, (ours_path, wp_path) in pages.items():
            progress(f"peer: {label}, {count} requests at one connection, then wrk each")
            ours = _side(ports["ours"], ours_path, harness.children(master.pid), count, seconds)
            wp = _side(ports["wp"], wp_path, harness.children(fpm.pid), count, seconds)
            results[label] = {
                "ours": ours,
                "wordpress": wp,
                "faster_per_request": round(wp["median"] / ours["median"], 2),
                "faster_cpu": round(wp["worker_cpu_ms"] / max(ours["worker_cpu_ms"], 0.1), 2),
                "throughput_ratio": round(
                    ours["wrk"]["requests_per_s"] / max(wp["wrk"]["requests_per_s"], 0.01), 2
                ),
            }
    finally:
        stack.close()
    return {
        "wordpress": loaded,
        "workers_each": workers,
        "pages": results,
        "targets": [
            goal(
                f"uncached {label}: WordPress median ÷ ours, one connection",
                results[label]["faster_per_request"],
                FASTER,
                "×",
                at_least=True,
            )
            for label in results
        ],
    }
