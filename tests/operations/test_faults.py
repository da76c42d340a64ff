"""Faults: Redis dies under load, PostgreSQL restarts, the task worker is down.

Each test runs the real thing: its OWN throwaway PostgreSQL (initdb in a temporary folder,
port 5491) and Redis (port 6391, no persistence), the app under `toasoan-web` (Granian, as
production runs it), and — for the queue — `manage.py db_worker`. Only these throwaway
servers are ever stopped; the machine's own PostgreSQL and Redis are never touched.
"""

import glob
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django_tasks_db.models import DBTaskResult

from toasoan.readership.models import HourlyViews

from .helpers import ROOT, clean_env, free_port

PG_BIN = next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)), "")
PG_PORT = int(os.environ.get("FAULTS_PG_PORT", "5491"))
REDIS_PORT = int(os.environ.get("FAULTS_REDIS_PORT", "6391"))
READER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130 Safari/537.36"}

pytestmark = [
    pytest.mark.faults,
    pytest.mark.skipif(
        not (PG_BIN and shutil.which("redis-server") and shutil.which("runuser")),
        reason="needs PostgreSQL server binaries, redis-server and runuser",
    ),
]


def _as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *command],
        check=True,
        capture_output=True,
        timeout=120,
        **kwargs,
    )


class ThrowawayPostgres:
    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.data = folder / "data"
        self.url = f"postgres://postgres@127.0.0.1:{port}/toasoan"

    def pg_ctl(self, action: str, *extra: str) -> None:
        _as_postgres(
            f"{PG_BIN}/pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "postgres.log"),
            "-w",
            "-t",
            "60",
            *extra,
            action,
        )

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.folder, "postgres", "postgres")
        _as_postgres(
            f"{PG_BIN}/initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.options = options
        self.pg_ctl("start", "-o", options)
        _as_postgres(f"{PG_BIN}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "toasoan")

    def restart(self) -> None:
        self.pg_ctl("restart", "-m", "fast")

    def down_for(self, seconds: float) -> None:
        """Stopped, then started again after `seconds` (a restart slow enough to be met)."""
        self.pg_ctl("stop", "-m", "fast")
        time.sleep(seconds)
        self.pg_ctl("start", "-o", self.options)

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("stop", "-m", "immediate")

    def query(self, sql: str, *params):
        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as conn:
            return conn.execute(sql, params).fetchall()


class Server:
    """A subprocess with its output in a log file, stopped by its own pid only."""

    def __init__(self, command: list[str], env: dict, log: Path):
        self.log = log
        self._out = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=self._out, stderr=subprocess.STDOUT
        )

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._out.close()


def start_redis(folder: Path) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    redis = Server(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        os.environ.copy(),
        folder / "redis.log",
    )  # fmt: skip
    for _ in range(100):
        try:
            subprocess.run(
                ["redis-cli", "-p", str(REDIS_PORT), "ping"], check=True, capture_output=True
            )
            return redis
        except subprocess.CalledProcessError:
            time.sleep(0.05)
    raise RuntimeError("the throwaway redis-server did not start")


def app_env(pg: ThrowawayPostgres, media: Path) -> dict:
    return clean_env(
        DJANGO_SETTINGS_MODULE="toasoan.settings",
        DEBUG="0",
        SECRET_KEY="faults-" + "x" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        TOASOAN_TESTING="1",  # static files without a collectstatic manifest
        DATABASE_URL=pg.url,
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        TASKS_BACKEND="database",
        MEDIA_ROOT=str(media),
        LOG_LEVEL="ERROR",
        PYTHONPATH=str(ROOT),  # this checkout's code in Granian's workers too
    )


def manage(env: dict, *args: str, timeout: int = 300) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def paper(tmp_path_factory):
    """A migrated throwaway PostgreSQL holding a small paper (shared by the module's tests)."""
    folder = tmp_path_factory.mktemp("faults")
    # PostgreSQL runs as the postgres user: its folder must not be under pytest's private one.
    pg_folder = Path(tempfile.mkdtemp(prefix="toasoan-faults-pg-"))
    pg_folder.chmod(0o755)
    pg = ThrowawayPostgres(pg_folder / "pg", PG_PORT)
    pg.start()
    try:
        env = app_env(pg, folder / "media")
        manage(env, "migrate", "--noinput", "-v0")
        seeded = subprocess.run(
            [sys.executable, "-m", "tests.operations.seed"],
            env={**env, "TASKS_BACKEND": "immediate"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        content = json.loads(seeded.stdout.strip().splitlines()[-1])
        yield pg, env, content, folder
    finally:
        pg.stop()
        shutil.rmtree(pg_folder, ignore_errors=True)


@pytest.fixture
def redis(paper, tmp_path):
    server = start_redis(tmp_path / "redis")
    yield server
    server.stop(signal.SIGKILL)


def start_app(env: dict, log: Path, **extra: str) -> tuple[Server, int]:
    """`toasoan-web` with two workers on a free port, answering "/" before it returns."""
    port = free_port()
    server = Server(
        [sys.executable, "-m", "toasoan.delivery.appserver"],  # `toasoan-web`, this checkout's
        {**env, "WEB_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2", **extra},
        log,
    )
    for _ in range(150):
        try:
            if get(port, "/")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        server.stop()
        pytest.fail("toasoan-web did not start:\n" + server.log.read_text()[-3000:])
    return server, port


@pytest.fixture
def app(paper, redis, tmp_path):
    server, port = start_app(paper[1], tmp_path / "app.log")
    yield port
    server.stop()


def get(port: int, path: str, method: str = "GET") -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request(method, path, headers=READER)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def public_paths(content: dict) -> list[str]:
    story = content["stories"][0]["url"]
    return [content["home"], content["section"], story, "/search/?q=thoi+su", "/rss/"]


class Load(threading.Thread):
    """Readers hitting the pages (and the read beacon) from two threads until stopped."""

    def __init__(self, port: int, paths: list[str], beacon: str):
        super().__init__(daemon=True)
        self.port, self.paths, self.beacon = port, paths, beacon
        self.results: list[tuple[float, str, int]] = []
        self.stopped = threading.Event()

    def run(self) -> None:
        workers = [threading.Thread(target=self._hit, daemon=True) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    def _hit(self) -> None:
        while not self.stopped.is_set():
            for path in self.paths:
                try:
                    status = get(self.port, path)[0]
                except OSError:
                    status = 0
                self.results.append((time.monotonic(), path, status))
            try:
                status = get(self.port, self.beacon, method="POST")[0]
            except OSError:
                status = 0
            self.results.append((time.monotonic(), self.beacon, status))

    def stop(self) -> list[tuple[float, str, int]]:
        self.stopped.set()
        self.join(timeout=30)
        return self.results


def test_redis_killed_under_load_pages_keep_being_served(paper, redis, app):
    pg, _env, content, _ = paper
    story = content["stories"][0]
    views = HourlyViews._meta.db_table
    load = Load(app, public_paths(content), f"/luot-doc/{story['id']}/")
    load.start()
    time.sleep(3)
    killed_at = time.monotonic()
    redis.stop(signal.SIGKILL)  # our own throwaway redis-server, by its pid
    time.sleep(6)
    results = load.stop()

    after = [(path, status) for at, path, status in results if at > killed_at + 0.5]
    assert len(after) > 20, "requests kept flowing after Redis died"
    errors = [(path, status) for path, status in after if status >= 500 or status == 0]
    assert not errors, errors[:10]
    assert {status for path, status in after if not path.startswith("/luot-doc/")} == {200}
    assert {status for path, status in after if path.startswith("/luot-doc/")} == {204}
    # Views still counted while Redis is gone: straight into the database.
    counted = pg.query(f"SELECT COALESCE(SUM(views), 0) FROM {views} WHERE article_id = %s",
                       story["id"])[0][0]  # fmt: skip
    assert counted >= 1


def test_postgresql_restarted_the_app_recovers_without_a_restart(paper, app):
    pg, _env, content, _ = paper
    paths = public_paths(content)
    assert all(get(app, path)[0] == 200 for path in paths)

    pg.restart()  # every connection the app held is now dead

    statuses = []
    for _ in range(3):  # each of the 2 workers × 2 threads meets its dead connection once
        statuses += [get(app, path)[0] for path in paths]
    assert statuses == [200] * len(statuses)


def test_worker_down_tasks_wait_in_the_database_and_run_when_it_returns(paper, app, tmp_path):
    pg, env, content, _ = paper
    tasks = DBTaskResult._meta.db_table
    draft = content["draft"]
    search = "/search/?q=" + "sat+lo+nam+tra+my"

    before = pg.query(f"SELECT count(*) FROM {tasks}")[0][0]
    subprocess.run(
        [sys.executable, "-m", "tests.operations.seed", "publish", str(draft["id"])],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    waiting = pg.query(f"SELECT task_path FROM {tasks} WHERE status = 'READY' ORDER BY enqueued_at")
    assert "toasoan.search.tasks.index_published" in [row[0] for row in waiting]
    queued = pg.query(f"SELECT count(*) FROM {tasks}")[0][0] - before
    # The story is live at once; its search entry waits for the worker.
    link = f'-{draft["id"]}.html"'  # the story's address in the results (titles are highlighted)
    assert get(app, f"/{draft['id']}.html")[0] in (200, 301)
    assert link not in get(app, search)[1].decode()
    time.sleep(2)
    assert pg.query(f"SELECT count(*) FROM {tasks} WHERE status = 'READY'")[0][0] == queued

    worker = Server(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        env,
        tmp_path / "worker.log",
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            left = pg.query(f"SELECT count(*) FROM {tasks} WHERE status IN ('READY', 'RUNNING')")
            if left[0][0] == 0:
                break
            time.sleep(0.2)
        statuses = dict(pg.query(f"SELECT status, count(*) FROM {tasks} GROUP BY status"))
        assert statuses == {"SUCCESSFUL": before + queued}, worker.log.read_text()[-3000:]
    finally:
        worker.stop()
    assert link in get(app, search)[1].decode()


class Readers(threading.Thread):
    """Readers of cached pages from a few threads, each request timed, until stopped."""

    def __init__(self, port: int, paths: list[str], threads: int = 4):
        super().__init__(daemon=True)
        self.port, self.paths, self.threads = port, paths, threads
        self.results: list[tuple[float, float, int]] = []  # (answered at, seconds, status)
        self.stopped = threading.Event()

    def run(self) -> None:
        workers = [
            threading.Thread(target=self._read, args=(n,), daemon=True) for n in range(self.threads)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    def _read(self, n: int) -> None:
        while not self.stopped.is_set():
            n += 1
            started = time.monotonic()
            try:
                status = get(self.port, self.paths[n % len(self.paths)])[0]
            except OSError:
                status = 0
            answered = time.monotonic()
            self.results.append((answered, answered - started, status))

    def between(self, start: float, end: float) -> list[tuple[float, float, int]]:
        return [r for r in self.results if start <= r[0] < end]

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=30)


def _p99(results: list[tuple[float, float, int]]) -> float:
    times = sorted(seconds for _, seconds, _ in results)
    return times[int(0.99 * (len(times) - 1))]


@pytest.fixture
def quiet_app(paper, redis, tmp_path):
    """The app logging warnings (not its access log), to count what an outage writes."""
    log = tmp_path / "app.log"
    server, port = start_app(paper[1], log, LOG_LEVEL="WARNING", WEB_ACCESS_LOG="0")
    yield port, log
    server.stop()


def _outage(content: dict, port: int, log: Path, go, back) -> dict:
    """Readers before, during a 10-second Redis outage (`go()`), and after `back()`."""
    story_urls = [story["url"] for story in content["stories"][:3]]
    readers = Readers(port, [content["home"], content["section"], *story_urls])
    readers.start()
    try:
        time.sleep(3)  # every page in each worker's copies
        start = time.monotonic()
        time.sleep(3)
        went = time.monotonic()
        logged = log.stat().st_size
        go()
        time.sleep(2)
        uncached = []  # what no copy holds is rendered from the database, without waiting
        for path in ("/api/stories", "/search/?q=thoi+su"):
            asked = time.monotonic()
            uncached.append((path, get(port, path)[0], time.monotonic() - asked))
        time.sleep(went + 10 - time.monotonic())
        returned = time.monotonic()
        outage_log = log.read_bytes()[logged:].decode(errors="replace")
        back()
        time.sleep(5)
        ended = time.monotonic()
    finally:
        readers.stop()
    before, during = readers.between(start, went), readers.between(went, returned)
    after = readers.between(returned + 2, ended)  # back within 5 s: the last 3 of them
    figures = {
        "before/s": len(before) / (went - start),
        "during/s": len(during) / (returned - went),
        "after/s": len(after) / (ended - returned - 2),
        "p99 during": _p99(during),
        "uncached": uncached,
        "errors": [status for _, _, status in during + after if status != 200],
        "log lines": [line for line in outage_log.splitlines() if line.strip()],
        "log after": log.read_text(errors="replace")[logged:],
    }
    print({k: v for k, v in figures.items() if k not in ("log lines", "log after")})
    return figures


def _assert_outage_survived(figures: dict) -> None:
    shown = {k: v for k, v in figures.items() if k != "log after"}  # in every failure message
    assert figures["errors"] == [], shown
    assert figures["p99 during"] <= 1.0, shown
    assert [(path, status) for path, status, _ in figures["uncached"]] == [
        ("/api/stories", 200),
        ("/search/?q=thoi+su", 200),
    ], shown
    assert max(seconds for _, _, seconds in figures["uncached"]) <= 2.0, shown
    assert figures["during/s"] >= 0.5 * figures["before/s"], shown
    assert figures["after/s"] >= 0.5 * figures["before/s"], shown
    # One warning per worker when Redis goes, none per request; no traceback.
    assert 1 <= len(figures["log lines"]) <= 20, shown
    assert "Traceback" not in figures["log after"], figures["log after"][-3000:]
    assert "Redis không dùng được" in figures["log after"], shown
    assert "Redis đã trở lại" in figures["log after"], figures["log after"][-3000:]


def test_redis_hung_cached_pages_stay_fast_and_the_log_short(paper, redis, quiet_app):
    port, log = quiet_app
    pid = redis.process.pid  # our own throwaway redis-server
    figures = _outage(
        paper[2],
        port,
        log,
        lambda: os.kill(pid, signal.SIGSTOP),
        lambda: os.kill(pid, signal.SIGCONT),
    )
    _assert_outage_survived(figures)  # and probed, closed again within 5 s


def test_redis_killed_and_restarted_cached_pages_stay_fast(paper, redis, quiet_app, tmp_path):
    port, log = quiet_app
    restarted: list[Server] = []
    try:
        figures = _outage(
            paper[2],
            port,
            log,
            lambda: redis.stop(signal.SIGKILL),
            lambda: restarted.append(start_redis(tmp_path / "redis-again")),
        )
    finally:
        for server in restarted:
            server.stop(signal.SIGKILL)
    _assert_outage_survived(figures)


def test_postgresql_down_under_load_is_503_with_retry_after_never_500(paper, redis, quiet_app):
    pg, _env, content, _ = paper
    port, log = quiet_app
    answers: list[tuple[int, str | None]] = []
    stopped = threading.Event()

    def read(n: int) -> None:
        while not stopped.is_set():
            n += 2  # an address no cache keeps (query strings no longer split them): the
            # database's page tree answers it (404), or the 503 while PostgreSQL is away
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            try:
                conn.request("GET", f"{content['section']}khong-co-bai-{n}/", headers=READER)
                response = conn.getresponse()
                response.read()
                answers.append((response.status, response.getheader("Retry-After")))
            except OSError:
                answers.append((0, None))
            finally:
                conn.close()

    readers = [threading.Thread(target=read, args=(n,), daemon=True) for n in range(2)]
    logged = log.stat().st_size
    for reader in readers:
        reader.start()
    try:
        time.sleep(1)
        pg.down_for(3)
        time.sleep(3)
    finally:
        stopped.set()
        for reader in readers:
            reader.join(timeout=30)
    written = log.read_text(errors="replace")[logged:]
    statuses = [status for status, _ in answers]
    print({s: statuses.count(s) for s in set(statuses)})
    assert set(statuses) <= {404, 503}, [s for s in statuses if s not in (404, 503)][:10]
    assert 503 in statuses  # the outage was met
    assert all(retry == "10" for status, retry in answers if status == 503)
    assert statuses[-5:] == [404] * 5  # back without restarting the app
    # Django's own "Not Found: …" line for each 404 is the readers' traffic, not the outage.
    lines = [line for line in written.splitlines() if line.strip() and "Not Found:" not in line]
    assert len(lines) <= 20 and "Traceback" not in written, lines[:30]
    assert "PostgreSQL không dùng được" in written and "PostgreSQL đã trở lại" in written
