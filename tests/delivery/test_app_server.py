"""toasoan-web, the production app server (Granian): what an operator relies on."""

import os
import signal
import time
from pathlib import Path

import requests

from tests.delivery import live


def _workers(pid: int) -> set[int]:
    return set(map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split()))


def test_serves_writes_its_pid_and_replaces_its_workers_on_reload(tmp_path):
    """`systemctl reload` sends SIGHUP: every worker is replaced, and readers keep getting
    pages all the while (no 5xx, no refused connection)."""
    port, pid_file = live.free_port(), tmp_path / "web.pid"
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'leer.sqlite3'}",
        "REDIS_URL": "",
        "DEBUG": "1",
        "TOASOAN_SCHEDULER": "off",
        "WEB_PID_FILE": str(pid_file),
    }
    app = live.start_app(port, env, tmp_path / "app.log")
    try:
        assert int(pid_file.read_text()) == app.pid
        before = _workers(app.pid)
        assert len(before) == 2  # WEB_CONCURRENCY

        os.kill(app.pid, signal.SIGHUP)
        statuses, deadline = [], time.monotonic() + 60
        while time.monotonic() < deadline:
            url = f"http://127.0.0.1:{port}/robots.txt"
            statuses.append(
                requests.get(url, headers={"Host": "localhost"}, timeout=10).status_code
            )
            now = _workers(app.pid)
            if len(now) == 2 and not now & before:
                break
            time.sleep(0.05)
        else:
            raise AssertionError(f"workers not replaced: {before} → {now}")
        assert set(statuses) == {200}, statuses
        assert requests.get(url, headers={"Host": "localhost"}, timeout=10).status_code == 200
    finally:
        live.stop(app)
