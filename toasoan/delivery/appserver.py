"""The app server for production: Granian serving `toasoan.wsgi` (`toasoan-web`).

Granian speaks HTTP in Rust and calls the app through WSGI on a few Python threads per
process. A page the front door (pagecache.FrontDoor) already holds then costs microseconds
of Python instead of gunicorn's ≈ 300 µs of HTTP handling in Python: on 2 cores it serves
a cached story page ≈ 10× more often per second (bench/report.md: 47k against 4.8k).
gunicorn stays supported with deploy/gunicorn.conf.py (for its per-request timeout, say).
Settings come from the environment (docs/van-hanh.md); each has a default fit for one
machine behind nginx.
"""

import os
import sys
from pathlib import Path

from granian.constants import HTTPModes, Interfaces
from granian.server import Server


def options(environ=os.environ) -> dict:
    """Granian's settings from WEB_* variables (the same names whichever server runs)."""
    bind = environ.get("WEB_BIND", "127.0.0.1:8000")
    if bind.startswith("unix:"):
        # One socket, opened by the main process and shared by its workers: it keeps
        # listening while they are replaced (a reload, a worker past its memory limit). On
        # a port, Linux gives each worker its own socket (SO_REUSEPORT): while a slow new
        # worker starts and the old one has stopped, nobody listens and nginx is refused.
        # Mode 0666 like a port on 127.0.0.1: any local process (nginx) may connect.
        where = {"uds": Path(bind.removeprefix("unix:")), "uds_permissions": 0o666}
    else:
        host, _, port = bind.rpartition(":")
        where = {"address": host or "127.0.0.1", "port": int(port)}
    # Threads per process that run Django: each holds its own database connection.
    threads = int(environ.get("WEB_THREADS") or 2)
    return {
        "target": "toasoan.wsgi:application",
        **where,
        "interface": Interfaces.WSGI,
        # One process per core and one more: a request waiting on PostgreSQL leaves its core.
        "workers": int(environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1),
        "blocking_threads": threads,
        "http": HTTPModes.http1,  # nginx talks HTTP/1.1 to the app
        "websockets": False,
        "respawn_failed_workers": True,
        # Processes are replaced (one at a time, without dropping requests) after this many
        # seconds, or when one grows past this many MiB: what they gathered goes back.
        "workers_lifetime": int(environ.get("WEB_WORKER_LIFETIME") or 6 * 3600),
        "workers_max_rss": int(environ.get("WEB_WORKER_MAX_RSS") or 400),
        # On stop or reload (SIGHUP), requests being served get this long to finish.
        "workers_kill_timeout": int(environ.get("WEB_GRACEFUL_TIMEOUT") or 30),
        # The access log is ours (toasoan/delivery/accesslog.py, batched): Granian's costs
        # as much Python per request as a cached page, and halved throughput.
        "log_access": False,
        "pid_file": Path(environ["WEB_PID_FILE"]) if environ.get("WEB_PID_FILE") else None,
    }


M_ARENA_MAX = -8  # glibc's mallopt parameters (malloc.h)
M_MMAP_THRESHOLD = -3


def limit_malloc_arenas(environ=os.environ) -> bool:
    """Cap glibc's malloc arenas at WEB_MALLOC_ARENAS (2; 0 leaves glibc's 8 per core).

    Each thread that allocates gets an arena of its own, up to 8 per core: Granian's Rust
    threads and the Django threads each kept their own free memory, fragmented apart. Two
    arenas for the few threads of a worker measured 1-2 MB less peak memory per worker
    (bench `memory`) at the same speed. Set in the main process before the workers start:
    they are forked from it and inherit the cap. False when not glibc or left as is."""
    arenas = int(environ.get("WEB_MALLOC_ARENAS") or 2)
    if arenas <= 0:
        return False
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas) == 1
    except (OSError, AttributeError):  # not glibc
        return False


def fix_mmap_threshold(environ=os.environ) -> bool:
    """Fix glibc's mmap threshold at WEB_MALLOC_MMAP_THRESHOLD KiB (128; 0 leaves it dynamic).

    glibc gives a block of 128 KiB or more its own mapping, returned whole when freed; but
    each such block freed raises the threshold to its size (up to 32 MiB), and from then
    on rendered pages, querysets' rows and pickles of that size are carved from the heap,
    whose free memory is kept and fragmented. Fixed, they keep being mapped and unmapped.
    Set before the workers are forked, like the arenas' cap."""
    kib = int(environ.get("WEB_MALLOC_MMAP_THRESHOLD") or 128)
    if kib <= 0:
        return False
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").mallopt(M_MMAP_THRESHOLD, kib * 1024) == 1
    except (OSError, AttributeError):  # not glibc
        return False


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toasoan.settings")
    limit_malloc_arenas()
    fix_mmap_threshold()
    # toasoan.wsgi in each worker reads it (gunicorn keeps its own access log).
    os.environ["TOASOAN_ACCESS_LOG"] = "1" if os.environ.get("WEB_ACCESS_LOG", "1") == "1" else "0"
    sys.path.insert(0, os.getcwd())  # toasoan.wsgi from the checkout it is started in
    Server(**options()).serve()


if __name__ == "__main__":
    main()
