"""Gunicorn settings for Toà Soạn: `gunicorn -c deploy/gunicorn.conf.py toasoan.wsgi`.

Every value can be changed from the environment (docs/van-hanh.md); the defaults suit one
machine behind nginx. Static files are served by WhiteNoise from STATIC_ROOT (run
`manage.py collectstatic --noinput` at each deploy), media by nginx or object storage.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Processes: the usual 2 × cores + 1 for a sync app that mostly waits on PostgreSQL/Redis.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
# Threads > 1 switches to the gthread worker: more concurrent requests for the same memory.
threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"

# Recycle each worker after this many requests (± jitter, so they do not all restart at once):
# whatever memory a worker gathered (image processing, big querysets) is given back.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# A request taking longer than this is killed (imports and exports run as tasks, not here).
timeout = _int("GUNICORN_TIMEOUT", 30)
# On reload/stop, workers get this long to finish the requests they are serving.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Load the app once in the master, then fork: faster start, and workers share its memory.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"

# The workers' heartbeat files in RAM: a slow or full disk never gets workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Access log to stdout (journald), with the time taken in microseconds (%(D)s). Neither the
# reader's address nor their user agent is logged (no raw address or user agent is kept
# anywhere: toasoan/readership); nginx's own log is the operator's choice.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(D)s'
# nginx on the same machine (or the load balancer given here) may set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "toasoan"


def pre_fork(server, worker) -> None:
    """Never hand a database connection the master may have opened down to the workers."""
    if preload_app:
        from django.db import connections

        for connection in connections.all(initialized_only=True):
            connection.close()
