"""Render deploy/nginx/toasoan.conf for production, tests and the benchmark.

`render_site()` fills the template (the http-context part: upstream, cache zone, server).
`write_standalone()` wraps it in a complete nginx.conf under a prefix directory of its own
(pid, logs, temp and cache paths inside it), so a test or the benchmark can run a private
nginx on any port without touching /etc/nginx:

    conf = write_standalone(tmp / "nginx", listen="127.0.0.1:8089", app_servers=["127.0.0.1:8001"],
                            static_root=..., media_root=...)
    subprocess.Popen(["nginx", "-p", str(conf.parent), "-c", str(conf), "-e", "stderr"])

Command line (production file, printed to stdout):
    python -m toasoan.delivery.nginx --app 10.0.0.5:8000 --app 10.0.0.6:8000 \
        --purge-from 10.0.0.5 --purge-from 10.0.0.6 --server-name baoquangnam.example
"""

import argparse
import os
import re
from collections.abc import Sequence
from pathlib import Path

from toasoan.core.paths import EDITION_PREFIX, READER_ACTIONS
from toasoan.core.queries import LEGACY

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "toasoan.conf"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
NGINX = "/usr/sbin/nginx"
_PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")
# Listing pages 1…N are kept in the micro-cache, and purged with each change (purge.py).
MICRO_CACHED_PAGES = 5


def render_site(
    *,
    app_servers: Sequence[str],
    listen: str = "80",
    server_name: str = "_",
    cache_dir: str = "/var/cache/nginx/toasoan",
    static_root: str = "/srv/toasoan/staticfiles",
    media_root: str = "/srv/toasoan/media",
    purge_from: Sequence[str] = ("127.0.0.1",),
    micro_cache_seconds: int = 5,
    public_scheme: str = "https",
    session_cookie: str = "sessionid",
) -> str:
    """The site configuration with every placeholder filled (KeyError if one is left)."""
    if not app_servers:
        raise ValueError("at least one app server (host:port) is needed")
    values = {
        "UPSTREAM_SERVERS": "\n".join(
            f"    server {s} max_fails=3 fail_timeout=10s;" for s in app_servers
        ),
        "LISTEN": listen,
        "SERVER_NAME": server_name,
        "CACHE_DIR": str(cache_dir),
        "STATIC_ROOT": str(static_root).rstrip("/"),
        "MEDIA_ROOT": str(media_root).rstrip("/"),
        "PURGE_ALLOW": "\n".join(f"        allow {address};" for address in purge_from),
        "REFRESH_FROM": "\n".join(f"    {address} 1;" for address in purge_from),
        "MICRO_CACHE_SECONDS": str(int(micro_cache_seconds)),
        "PUBLIC_SCHEME": public_scheme,
        "SESSION_COOKIE": re.escape(session_cookie),
        "READER_ACTIONS": f"^/{EDITION_PREFIX}(?:{'|'.join(READER_ACTIONS)})(?:/|$)",
        "MICRO_CACHED_PAGES": str(MICRO_CACHED_PAGES),
        "CACHED_PAGE": f"[1-{MICRO_CACHED_PAGES}]?",
        "LEGACY_ARGS": "".join(f"$arg_{name}" for name in LEGACY),
    }
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], TEMPLATE.read_text())


def render_main(site: str, prefix: Path, worker_processes: str = "1") -> str:
    """A complete nginx.conf running in the foreground with everything under `prefix`."""
    load = f"load_module {PURGE_MODULE};\n" if PURGE_MODULE.exists() else ""
    # Started by root (tests, the benchmark): workers keep root's access to the private prefix
    # (pytest's tmp dirs are 0700) instead of dropping to "nobody". Never used in production.
    if os.geteuid() == 0:
        load += "user root;\n"
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/temp/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{load}daemon off;
worker_processes {worker_processes};
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 30s;
{temp}
{site}
}}
"""


def write_standalone(prefix: Path, worker_processes: str = "1", **site_options) -> Path:
    """Write prefix/nginx.conf (cache in prefix/cache unless given); returns its path."""
    prefix = Path(prefix).resolve()
    (prefix / "temp").mkdir(parents=True, exist_ok=True)
    site_options.setdefault("cache_dir", str(prefix / "cache"))
    site_options.setdefault("public_scheme", "http")
    site = render_site(**site_options)
    conf = prefix / "nginx.conf"
    conf.write_text(render_main(site, prefix, worker_processes))
    return conf


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Print Toà Soạn's nginx site configuration.")
    parser.add_argument("--app", action="append", required=True, help="app server host:port")
    parser.add_argument("--purge-from", action="append", default=None, help="app server IP")
    parser.add_argument("--listen", default="80")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--cache-dir", default="/var/cache/nginx/toasoan")
    parser.add_argument("--static-root", default="/srv/toasoan/staticfiles")
    parser.add_argument("--media-root", default="/srv/toasoan/media")
    parser.add_argument("--micro-cache-seconds", type=int, default=5)
    parser.add_argument("--public-scheme", default="https")
    args = parser.parse_args(argv)
    print(
        render_site(
            app_servers=args.app,
            purge_from=args.purge_from or ["127.0.0.1"],
            listen=args.listen,
            server_name=args.server_name,
            cache_dir=args.cache_dir,
            static_root=args.static_root,
            media_root=args.media_root,
            micro_cache_seconds=args.micro_cache_seconds,
            public_scheme=args.public_scheme,
        )
    )


if __name__ == "__main__":
    main()
