"""Real servers for the delivery tests: app instances (toasoan-web, gunicorn) and a private
nginx."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

from toasoan.delivery.nginx import NGINX, write_standalone

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
APP_SERVER = ROOT / ".venv" / "bin" / "toasoan-web"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, host: str = "localhost") -> None:
    for _ in range(150):
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited:\n{log.read_text()[-3000:]}")
        try:
            requests.get(url, headers={"Host": host}, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer:\n{log.read_text()[-3000:]}")


def _serve(args: list[str], env: dict, port: int | Path, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        args,
        cwd=ROOT,
        # PYTHONPATH: this checkout's code, not the one the console script was installed from
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "toasoan.settings",
            "PYTHONPATH": str(ROOT),
            **env,
        },
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # stop() ends its workers too, whatever a reload made of them
    )
    process.leads_its_group = True
    if isinstance(port, Path):
        _wait_for_socket(port, process, log)
    else:
        wait_for(f"http://127.0.0.1:{port}/robots.txt", process, log)
    return process


def _wait_for_socket(path: Path, process: subprocess.Popen, log: Path) -> None:
    for _ in range(150):
        if process.poll() is not None:
            raise RuntimeError(f"{path} exited:\n{log.read_text()[-3000:]}")
        with socket.socket(socket.AF_UNIX) as s:
            try:
                s.connect(str(path))
                return
            except OSError:
                time.sleep(0.2)
    raise RuntimeError(f"{path} did not answer:\n{log.read_text()[-3000:]}")


def start_app_on_socket(path: Path, env: dict, log: Path) -> subprocess.Popen:
    """toasoan-web as deploy/ runs it behind nginx: two workers sharing one unix socket."""
    bind = {"WEB_BIND": f"unix:{path}", "WEB_CONCURRENCY": "2"}
    return _serve([str(APP_SERVER)], {**bind, **env}, path, log)


def start_app(port: int, env: dict, log: Path) -> subprocess.Popen:
    """The app as production serves it: toasoan-web (Granian), two workers."""
    bind = {"WEB_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    return _serve([str(APP_SERVER)], {**bind, **env}, port, log)


def start_gunicorn(port: int, env: dict, log: Path) -> subprocess.Popen:
    """The app under gunicorn with deploy/gunicorn.conf.py, the other supported server."""
    bind = {"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    args = [str(GUNICORN), "-c", "deploy/gunicorn.conf.py", "toasoan.wsgi"]
    return _serve(args, {**bind, **env}, port, log)


def start_nginx(prefix: Path, port: int, app_ports, purge_from=("127.0.0.1",)) -> subprocess.Popen:
    conf = write_standalone(
        prefix,
        listen=f"127.0.0.1:{port}",
        # a port on 127.0.0.1, or "unix:/path" for an app server on a socket
        app_servers=[p if isinstance(p, str) else f"127.0.0.1:{p}" for p in app_ports],
        purge_from=purge_from,
        static_root=str(ROOT / "toasoan" / "frontpage" / "static"),
        media_root=str(prefix / "media"),
    )
    log = prefix / "nginx.out"
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    wait_for(f"http://127.0.0.1:{port}/robots.txt", process, log)
    return process


def _signal(process: subprocess.Popen, number: int) -> None:
    """To an app server's whole process group (its workers outlive a master that is killed),
    to anything else (nginx) alone."""
    if getattr(process, "leads_its_group", False):
        with contextlib.suppress(ProcessLookupError):  # every one of them has ended
            os.killpg(process.pid, number)
    elif process.poll() is None:
        process.send_signal(number)


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        _signal(process, signal.SIGTERM)
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
        _signal(process, signal.SIGKILL)  # what is left of the group: workers, orphans
        process.wait()
