"""Browser tests: the demo paper served exactly as `make run` serves it, seen by Chromium.

One server per test session (per xdist worker): a fresh SQLite database and media folder,
`migrate`, `load_demo`, then `runserver`. The loaded paper is made once per run and copied
to each worker's server (a load with every photo size costs about a minute of CPU).
Playwright drives Debian's /usr/bin/chromium (never a downloaded browser).
"""

import fcntl
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


class DemoSite(str):
    """The demo server's address; `env` is the environment it runs in (its database)."""

    env: dict


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory) -> dict[str, str]:
    """The environment of the demo server: `manage.py` run with it works on its database."""
    work = tmp_path_factory.mktemp("demo-site")
    return {
        **{name: value for name, value in os.environ.items() if name != "TOASOAN_TESTING"},
        "DATABASE_URL": f"sqlite:///{work / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(work / "media"),
        "CACHE_KEY_PREFIX": f"e2e-{os.getpid()}",
        "DJANGO_SETTINGS_MODULE": "toasoan.settings",
        "TOASOAN_SCHEDULER_INTERVAL": "5",
    }


def manage_demo(env: dict[str, str], *command: str) -> str:
    """Run a `manage.py` command on the demo server's database; returns what it printed."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"manage.py {' '.join(command)}:\n{done.stderr}"
    return done.stdout


def forget_two_factor(env: dict[str, str], username: str) -> None:
    """Take a staff member's authenticator devices off the demo server: their next sign-in
    sets two-factor up again from the QR code. Tests that walk that set-up call it first, as
    any of them may run after another on the same server (one per xdist worker)."""
    manage_demo(
        env,
        "shell",
        "-c",
        "from django_otp.plugins.otp_totp.models import TOTPDevice; "
        f"TOTPDevice.objects.filter(user__username={username!r}).delete()",
    )


def _loaded_demo(tmp_path_factory, env: dict[str, str]) -> Path:
    """A folder holding `demo.sqlite3` and `media/` after `migrate` and `load_demo`: made by
    the first xdist worker that asks (the others wait on a lock), shared by all of them."""
    shared = tmp_path_factory.getbasetemp().parent  # the run's, whatever the worker
    made = shared / "loaded-demo"
    with open(shared / "loaded-demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (made / "done").exists():
            shutil.rmtree(made, ignore_errors=True)
            made.mkdir()
            env = {
                **env,
                "DATABASE_URL": f"sqlite:///{made / 'demo.sqlite3'}",
                "MEDIA_ROOT": str(made / "media"),
            }
            for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
                subprocess.run(
                    [sys.executable, str(ROOT / "manage.py"), *command],
                    env=env,
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                )
            (made / "done").touch()
    return made


@pytest.fixture(scope="session")
def demo_site(demo_env, tmp_path_factory):
    env = demo_env
    work = Path(env["MEDIA_ROOT"]).parent
    manage = [sys.executable, str(ROOT / "manage.py")]
    loaded = _loaded_demo(tmp_path_factory, env)
    database = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    for part in loaded.glob("demo.sqlite3*"):  # with a -wal file, should one be left
        shutil.copyfile(part, database.with_name(part.name))
    shutil.copytree(loaded / "media", env["MEDIA_ROOT"])
    port = _free_port()
    log = open(work / "server.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        manage + ["runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    # Generous: on a busy CI machine the first answer (URLconf, templates, the demo's home
    # page) can take a minute; a server that died is told at once by its exit.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(base + "/", timeout=10)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.terminate()
        pytest.fail("the demo server did not start: " + (work / "server.log").read_text())
    site = DemoSite(base)
    site.env = env
    yield site
    server.terminate()
    server.wait(timeout=10)
    log.close()


# Per test file, not per session: between two calls, Playwright's sync API leaves its event
# loop marked as running in this thread, and Django then refuses database access
# (SynchronousOnlyOperation) to the next tests of this process until Playwright stops — the
# next test file of the same xdist worker.
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium: apt-get install chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, demo_site):
    """Open a path at a viewport width; records every request the page makes."""
    contexts = []

    def _open(path: str, width: int = 1280, height: int = 900, scale: float = 1):
        context = browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=scale
        )
        contexts.append(context)
        page = context.new_page()
        page.requested_urls = []
        page.on("request", lambda request: page.requested_urls.append(request.url))
        page.goto(demo_site + path)
        page.wait_for_load_state("networkidle")
        return page

    yield _open
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    for y in range(0, page.evaluate("document.body.scrollHeight"), 500):
        page.evaluate(f"window.scrollTo(0, {y})")  # lets lazy images load
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_load_state("networkidle")
    # Every image the scroll asked for has arrived and is decoded (or failed), 10 s at most:
    # a photo still on its way was shot as a blank box, and a screen read as broken when it
    # was not. Lazy images never asked for (in a viewer's hidden pages) are not waited for.
    page.evaluate(
        """() => Promise.race([
          Promise.all([...document.images].filter((img) => img.currentSrc)
            .map((img) => img.decode().catch(() => null))),
          new Promise((done) => setTimeout(done, 10000)),
        ])"""
    )
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(open_page, username: str, width: int = 1280):
    """A demo staff member signed in to the admin (password `toasoan-demo`)."""
    page = open_page("/admin/login/", width=width, height=1000)
    page.fill("#id_username", username)
    page.fill("#id_password", "toasoan-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state("networkidle")
    return page
