"""Processes the serving measures start: the app server, nginx and wrk, and what they report.

Everything runs on 127.0.0.1 on free ports picked at start, with its files under
bench/data/serve/; every process started here is stopped by `Stack.close()` (also on error),
and a pid left behind by an interrupted run is stopped at the next start.
"""

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SERVE = Path(os.environ.get("BENCH_SERVE") or HERE / "data" / "serve")  # where servers run
PIDS = SERVE / "pids"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
APP_SERVER = Path(sys.executable).parent / "toasoan-web"  # toasoan.delivery.appserver
# production_python()'s venvs; resolved: a venv's scripts name its path, bench/data may be a link
PRODUCTION_VENVS = (HERE / "data").resolve()


_PORTS_GIVEN = os.environ.get("BENCH_PORTS", "")  # "8620-8629": on a shared machine
_ports_used: set[int] = set()


def free_port() -> int:
    """A free port on 127.0.0.1: any, or the next free one of BENCH_PORTS ("first-last")."""
    if _PORTS_GIVEN:
        first, _, last = _PORTS_GIVEN.partition("-")
        for _ in range(2):  # the second time round: stopped servers' ports again
            for port in range(int(first), int(last or first) + 1):
                if port in _ports_used:
                    continue
                with socket.socket() as s:
                    try:
                        s.bind(("127.0.0.1", port))
                    except OSError:
                        continue
                _ports_used.add(port)
                return port
            _ports_used.clear()
        raise RuntimeError(f"no free port in BENCH_PORTS={_PORTS_GIVEN}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fetch(url: str, timeout: float = 10) -> tuple[int, Message, bytes]:
    """Status, headers (names in any case: Granian sends them in lower case) and body."""
    request = urllib.request.Request(url, headers={"Host": "127.0.0.1"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def wait_ready(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            fetch(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def children(pid: int) -> list[int]:
    """Child pids of `pid` (the app server's workers, nginx's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        match = re.search(r"^PPid:\s+(\d+)", status, re.M)
        if match and int(match.group(1)) == pid:
            found.append(int(entry.name))
    return sorted(found)


def memory_kb(pid: int) -> dict:
    """VmHWM (peak resident set) and VmRSS of a process, in kB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {
        key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1))
        for key in ("VmHWM", "VmRSS")
    }


def stop_stale() -> None:
    """Stop processes an interrupted earlier run started (their pids are in bench/data)."""
    if not PIDS.exists():
        return
    for pidfile in PIDS.iterdir():
        try:
            pid = int(pidfile.read_text())
            # only if that pid is still ours: its output goes to our log file in SERVE
            if os.readlink(f"/proc/{pid}/fd/1") == str(SERVE / f"{pidfile.name}.log"):
                os.killpg(pid, signal.SIGTERM)
                log(f"stopped leftover process group {pid} ({pidfile.name})")
        except (ValueError, OSError):
            pass
        pidfile.unlink(missing_ok=True)


def production_python() -> Path:
    """The Python of a venv with the project installed as production installs it: `pip install .`,
    no extras. The bench's own venv holds the [test] extras, and libraries import what they
    find installed (bs4 its lxml and html5lib builders, DRF yaml and pygments...): ~11 MB
    more per worker. Built once per pyproject.toml (bench/data/venv-production-<hash>; an
    older one is removed), from PyPI; a minute the first time. Its copy of toasoan is not
    what runs: bench/run.py puts this checkout first (PYTHONPATH)."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:12]
    venv = PRODUCTION_VENVS / f"venv-production-{digest}"
    python = venv / "bin" / "python"
    done = venv / "installed"  # written last: a venv without it was interrupted
    if done.exists():
        return python
    for old in PRODUCTION_VENVS.glob("venv-production-*"):
        shutil.rmtree(old, ignore_errors=True)
    log(f"building the production venv {venv} (pip install ., no extras)")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    # From a copy: an in-tree build would leave build/ in the checkout.
    source = venv / "source"
    shutil.copytree(
        ROOT / "toasoan", source / "toasoan", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(source)], check=True)
    shutil.rmtree(source)
    done.write_text(digest)
    return python


class Stack:
    """The processes of one serving measure; `close()` stops them all."""

    def __init__(self, env: dict):
        self.env = env
        self.processes: dict[str, subprocess.Popen] = {}
        PIDS.mkdir(parents=True, exist_ok=True)

    def _start(
        self, name: str, args: list[str], logfile: Path, env: dict | None = None
    ) -> subprocess.Popen:
        out = logfile.open("ab")
        process = subprocess.Popen(
            args,
            env={**self.env, **(env or {})},
            cwd=ROOT,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
        out.close()
        self.processes[name] = process
        (PIDS / name).write_text(str(process.pid))
        return process

    def app(
        self, name: str, port: int, workers: int, python: Path | None = None, **more: str
    ) -> subprocess.Popen:
        """The app as production runs it: `toasoan-web` (Granian), without an access log
        unless `WEB_ACCESS_LOG="1"` is given (`more`: other environment variables); from
        the venv of `python` if given (production_python()), else the bench's own."""
        server = python.parent / "toasoan-web" if python else APP_SERVER
        env = {"WEB_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
        env |= {"WEB_ACCESS_LOG": "0", "WEB_PID_FILE": str(SERVE / f"{name}.pid")} | more
        process = self._start(name, [str(server)], SERVE / f"{name}.log", env)
        wait_ready(f"http://127.0.0.1:{port}/robots.txt", process)
        return process

    def gunicorn(self, name: str, port: int, workers: int) -> subprocess.Popen:
        """The app under gunicorn, the other supported server: deploy/gunicorn.conf.py."""
        args = [str(Path(sys.executable).parent / "gunicorn"), "toasoan.wsgi"]
        if GUNICORN_CONF.exists():
            args += ["--config", str(GUNICORN_CONF)]
        args += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
        args += ["--pid", str(SERVE / f"{name}.pid")]
        process = self._start(name, args, SERVE / f"{name}.log")
        wait_ready(f"http://127.0.0.1:{port}/robots.txt", process)
        return process

    def nginx(self, name: str, config: str) -> subprocess.Popen:
        prefix = SERVE / name
        shutil.rmtree(prefix / "cache", ignore_errors=True)  # nothing cached by an earlier run
        for sub in ("logs", "cache", "temp"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        (prefix / "nginx.conf").write_text(config)
        args = ["nginx", "-p", f"{prefix}/", "-c", str(prefix / "nginx.conf"), "-e", "stderr"]
        test = subprocess.run(args + ["-t"], capture_output=True, text=True)
        if test.returncode:
            raise RuntimeError(f"nginx config refused: {test.stderr}")
        return self._start(name, args, SERVE / f"{name}.log")

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None:
            return
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # app servers/nginx stop their workers
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        (PIDS / name).unlink(missing_ok=True)

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name)


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * _WRK_UNITS[unit], 2)


def wrk(
    url: str,
    connections: int,
    seconds: int,
    threads: int = 2,
    script: Path | None = None,
    headers: tuple[str, ...] = (),
) -> dict:
    """One wrk run; requests/s, latency p50/p99 and every kind of error it counted. A Lua
    `script` may shape each request (e.g. its own ?fbclid=); `headers` are sent with each."""
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "5s",
            *(["-s", str(script)] if script else []),
            "-H",
            "Host: 127.0.0.1",
            *(part for header in headers for part in ("-H", header)),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {
        "connections": connections,
        "seconds": seconds,
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50_ms": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p90_ms": _ms(re.search(r"^\s+90%\s+(\S+)", out, re.M).group(1)),
        "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "max_ms": _ms(re.search(r"^\s+Latency\s+\S+\s+\S+\s+(\S+)", out, re.M).group(1)),
        "non_2xx_3xx": 0,
        "socket_errors": 0,
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        result["non_2xx_3xx"] = int(non_2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if sockets:
        result["socket_errors"] = sum(int(x) for x in sockets.groups())
        result["socket_error_detail"] = dict(
            zip(("connect", "read", "write", "timeout"), map(int, sockets.groups()), strict=True)
        )
    result["errors"] = result["non_2xx_3xx"] + result["socket_errors"]
    return result
