"""The app server's access log (`WEB_ACCESS_LOG=1`, the production default) at a cost a
spike can afford.

Granian's own access log goes through Python's logging for every request: a LogRecord, a
dictionary, a date formatted, a write and a flush to stdout — as much Python as answering
a page from the front door, so it halved cached throughput. Here a request costs one line
built from values already at hand (the time as text is made once a second) appended to a
list; a thread writes the lines out in batches, at most BATCH_SECONDS later, and at exit.

Format (one line per request):
    [2026-12-07 09:15:02 +0700] 127.0.0.0 203.0.113.0 "GET /thoi-su/ HTTP/1.1" 200 3.1 MISS
the peer and the addresses nginx passed on (X-Forwarded-For), each with its host part
zeroed (IPv4 /24, IPv6 /48: a network can be told in an incident, never a reader — no raw
address is written anywhere, toasoan/readership), the request, the status, milliseconds
taken by the app and the page cache's answer (`HIT`, `MISS`: rendered, `-`: not a cached
page), so the renders a spike cost can be counted from the log.
"""

import atexit
import multiprocessing.util
import os
import sys
import threading
import time
from collections import deque

BATCH_SECONDS = 0.5
MAX_PENDING = 50_000  # lines; past that (stdout stuck) new ones are dropped, never the app


def masked(addresses: str) -> str:
    """'203.0.113.7, 10.0.0.1' → '203.0.113.0, 10.0.0.0'; IPv6 kept to its first 48 bits."""
    out = []
    for address in addresses.split(","):
        address = address.strip()
        if "." in address and ":" not in address:
            out.append(address.rpartition(".")[0] + ".0")
        elif ":" in address:
            out.append(":".join(address.split(":")[:3]) + "::")
        else:
            out.append("-")
    return ", ".join(out)


class AccessLog:
    """WSGI wrapper (toasoan/wsgi.py) writing one line per request, in batches."""

    def __init__(self, app, out=None):
        self.app = app
        self.out = out or sys.stdout
        self.pending: deque[str] = deque()  # append and popleft are safe between threads
        self.lock = threading.Lock()
        self.second = 0
        self.stamp = ""
        self.writer: threading.Thread | None = None
        self.pid = 0

    def _now(self) -> str:
        now = time.time()
        second = int(now)
        if second != self.second:
            self.second = second
            self.stamp = time.strftime("%Y-%m-%d %H:%M:%S %z", time.localtime(now))
        return self.stamp

    def __call__(self, environ: dict, start_response):
        started = time.perf_counter()
        status = []

        def keep(code, headers, exc_info=None):
            status.append(code)
            for name, value in headers:
                if name == "X-Cache":
                    status.append(value)
            return start_response(code, headers, exc_info)

        try:
            return self.app(environ, keep)
        finally:
            path = environ.get("PATH_INFO", "")
            query = environ.get("QUERY_STRING")
            line = (
                f"[{self._now()}] {masked(environ.get('REMOTE_ADDR', '-'))} "
                f"{masked(environ.get('HTTP_X_FORWARDED_FOR', '-'))} "
                f'"{environ.get("REQUEST_METHOD", "")} {path}{"?" + query if query else ""} '
                f'{environ.get("SERVER_PROTOCOL", "")}" {status[0][:3] if status else "500"} '
                f"{(time.perf_counter() - started) * 1000:.1f} "
                f"{status[1] if len(status) > 1 else '-'}\n"
            )
            if len(self.pending) < MAX_PENDING:
                self.pending.append(line)
            if self.pid != os.getpid():
                self._start()

    def _start(self) -> None:
        with self.lock:
            if self.pid == os.getpid():
                return
            self.pid = os.getpid()
            self.writer = threading.Thread(target=self._run, name="access-log", daemon=True)
            self.writer.start()
            atexit.register(self.flush)
            # Granian's workers are multiprocessing children, which skip atexit on their way out
            multiprocessing.util.Finalize(self, self.flush, exitpriority=10)

    def _run(self) -> None:
        while True:
            time.sleep(BATCH_SECONDS)
            self.flush()

    def flush(self) -> None:
        with self.lock:
            lines = []
            while self.pending:
                lines.append(self.pending.popleft())
            if lines:
                try:
                    self.out.write("".join(lines))
                    self.out.flush()
                except (OSError, ValueError):  # stdout closed: the log is lost, not the app
                    pass
