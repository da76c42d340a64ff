"""toasoan-web, the production app server (Granian): what an operator relies on."""

import os
import re
import signal
import time
from pathlib import Path

import requests

from tests.delivery import live


def _workers(pid: int) -> set[int]:
    return set(map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split()))


def test_serves_writes_its_pid_and_replaces_its_workers_on_reload(tmp_path):
    """`systemctl reload` sends SIGHUP: every worker is replaced, and readers keep getting
    pages all the while (no 5xx from nginx, whatever the machine's load: the workers share
    the one unix socket nginx talks to, which stays open while they are replaced)."""
    sock, pid_file, nginx_port = tmp_path / "web.sock", tmp_path / "web.pid", live.free_port()
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'leer.sqlite3'}",
        "REDIS_URL": "",
        "DEBUG": "1",
        "TOASOAN_SCHEDULER": "off",
        "WEB_PID_FILE": str(pid_file),
    }
    app = live.start_app_on_socket(sock, env, tmp_path / "app.log")
    nginx = None
    try:
        nginx = live.start_nginx(tmp_path / "nginx", nginx_port, [f"unix:{sock}"])
        assert int(pid_file.read_text()) == app.pid
        before = _workers(app.pid)
        assert len(before) == 2  # WEB_CONCURRENCY

        os.kill(app.pid, signal.SIGHUP)
        url = f"http://127.0.0.1:{nginx_port}/robots.txt"
        # A session cookie: nginx passes every request to the app, none from its cache.
        past_the_cache = {"Host": "localhost", "Cookie": "sessionid=x"}
        statuses, deadline = [], time.monotonic() + 90
        while time.monotonic() < deadline:
            answer = requests.get(url, headers=past_the_cache, timeout=30)
            assert answer.headers["X-Micro-Cache"] == "BYPASS"
            statuses.append(answer.status_code)
            now = _workers(app.pid)
            if len(now) == 2 and not now & before:
                break
            time.sleep(0.05)
        else:
            raise AssertionError(f"workers not replaced: {before} → {now}")
        log = (tmp_path / "app.log").read_text()[-3000:]
        assert set(statuses) == {200}, f"{statuses}\n{log}"
        # The reader's address reaches the app through nginx over the socket.
        reader = {**past_the_cache, "X-Forwarded-For": "203.0.113.7"}
        assert requests.get(url + "?fbclid=1", headers=reader, timeout=10).status_code == 200
    finally:
        live.stop(*[p for p in (nginx, app) if p])
    # The access log (WEB_ACCESS_LOG=1 by default): the networks nginx passed on, never an
    # address itself.
    log = (tmp_path / "app.log").read_text()
    assert '203.0.113.0, 127.0.0.0 "GET /robots.txt?fbclid=1 HTTP/1.1" 200' in log, log[-2000:]
    assert "203.0.113.7" not in log


def test_access_lines_are_written_in_batches_with_the_readers_network():
    import io

    from toasoan.delivery.accesslog import AccessLog

    def page(environ, start_response):
        start_response("404 Not Found", [("Content-Type", "text/html")])
        return [b"x"]

    out = io.StringIO()
    app = AccessLog(page, out=out)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/khong-co/",
        "QUERY_STRING": "utm_source=zalo",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_X_FORWARDED_FOR": "203.0.113.7",
    }
    for _ in range(3):
        assert app(environ, lambda status, headers, exc_info=None: None) == [b"x"]
    app.flush()
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert '127.0.0.0 203.0.113.0 "GET /khong-co/?utm_source=zalo HTTP/1.1" 404 ' in lines[0]
    assert re.match(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] ", lines[0]), lines[0]
    assert lines[0].endswith(" -")  # not a cached page: no cache answer


def test_access_lines_say_which_requests_rendered_the_page():
    """An operator counts a spike's renders from the log: the page cache's answer ends each
    line (MISS rendered the page, HIT did not)."""
    import io

    from toasoan.delivery.accesslog import AccessLog

    answers = iter(["MISS", "HIT", "HIT"])

    def page(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html"), ("X-Cache", next(answers))])
        return [b"x"]

    out = io.StringIO()
    app = AccessLog(page, out=out)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/a.html", "REMOTE_ADDR": "127.0.0.1"}
    for _ in range(3):
        app(environ, lambda status, headers, exc_info=None: None)
    app.flush()
    ends = [line.rsplit(" ", 1)[1] for line in out.getvalue().splitlines()]
    assert ends == ["MISS", "HIT", "HIT"]


ARENAS = """
import ctypes, sys, threading
from toasoan.delivery.appserver import limit_malloc_arenas
limit_malloc_arenas({"WEB_MALLOC_ARENAS": sys.argv[1]})
libc = ctypes.CDLL("libc.so.6")
start = threading.Barrier(6)
def work():  # as a worker's threads: each allocates at once
    start.wait()
    for _ in range(200):
        libc.malloc(4000)
threads = [threading.Thread(target=work) for _ in range(6)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
libc.malloc_stats()  # one "Arena n:" block per arena, on stderr
"""


def test_a_workers_threads_share_two_malloc_arenas():
    """toasoan-web caps glibc's arenas (WEB_MALLOC_ARENAS, 2): six threads allocating at once
    used seven arenas, each keeping its own free memory; 0 leaves glibc's default."""

    def arenas(setting: str) -> int:
        return _python(ARENAS, setting).stderr.count("Arena ")

    assert arenas("2") == 2
    assert arenas("0") > 2


def _python(code: str, setting: str):
    """`code` run by a fresh Python in the checkout, with `setting` as its argument."""
    import subprocess
    import sys

    from django.conf import settings

    done = subprocess.run(
        [sys.executable, "-c", code, setting],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


MMAP_THRESHOLD = """
import ctypes, sys
from toasoan.delivery.appserver import fix_mmap_threshold
fix_mmap_threshold({"WEB_MALLOC_MMAP_THRESHOLD": sys.argv[1]})
libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
def mapped(size):  # glibc marks a block given its own mapping in its size word (bit 2)
    block = libc.malloc(size)
    flag = ctypes.c_size_t.from_address(block - ctypes.sizeof(ctypes.c_size_t)).value & 2
    return block, bool(flag)
big, _ = mapped(4 << 20)
libc.free(big)  # glibc's dynamic threshold rises to 4 MiB here
page, flag = mapped(300 << 10)  # a rendered page's worth
print(flag)
"""


def test_a_page_sized_block_keeps_its_own_mapping_after_a_bigger_one_was_freed():
    """toasoan-web fixes glibc's mmap threshold (WEB_MALLOC_MMAP_THRESHOLD, 128 KiB): after a
    4 MiB block was freed, a 300 KiB one is still mapped apart (returned whole when freed),
    not carved from the heap as with glibc's dynamic threshold (0)."""

    def mapped(setting: str) -> bool:
        return _python(MMAP_THRESHOLD, setting).stdout.strip() == "True"

    assert mapped("128")
    assert not mapped("0")
