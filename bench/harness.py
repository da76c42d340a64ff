"""Processes the serving measures start: the app server, nginx and wrk, and what they report.

Everything runs on 127.0.0.1 on free ports picked at start, with its files under
bench/data/serve/; every process started here is stopped by `Stack.close()` (also on error),
and a pid left behind by an interrupted run is stopped at the next start.
"""

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


def free_port() -> int:
    """A free local port: from BENCH_PORTS ("8630-8639") when set (a machine shared with
    other benches), else any the system gives."""
    low, _, high = os.environ.get("BENCH_PORTS", "").partition("-")
    for port in range(int(low), int(high or low) + 1) if low else ():
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            if port not in _given:
                _given.add(port)
                return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_given: set[int] = set()  # BENCH_PORTS handed out (a server may not be listening yet)


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

    def app(self, name: str, port: int, workers: int, **more: str) -> subprocess.Popen:
        """The app as production runs it: `toasoan-web` (Granian), without an access log
        unless `WEB_ACCESS_LOG="1"` is given (`more`: other environment variables)."""
        env = {"WEB_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
        env |= {"WEB_ACCESS_LOG": "0", "WEB_PID_FILE": str(SERVE / f"{name}.pid")} | more
        process = self._start(name, [str(APP_SERVER)], SERVE / f"{name}.log", env)
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
    url: str, connections: int, seconds: int, threads: int = 2, script: Path | None = None
) -> dict:
    """One wrk run; requests/s, latency p50/p99 and every kind of error it counted. A Lua
    `script` may shape each request (e.g. its own ?fbclid=)."""
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
        "p99_ms": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
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
