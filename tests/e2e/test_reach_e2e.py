"""Readership through the real front of the site (issue #19): the demo paper under the
production app server (toasoan-web) behind nginx and its micro-cache. A reader's browser
gets the story from the micro-cache (a HIT, the app never sees the page request), yet its
view, engaged time and country (from the trusted X-Forwarded-For) reach the editor-in-chief's
dashboard; a bot and a reader sending `Sec-GPC: 1` add nothing; and after the run neither the
database nor the app's logs hold the reader's address or user agent."""

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from tests.delivery import live
from tests.e2e.conftest import ROOT, manage_demo, screenshot
from toasoan.delivery.nginx import NGINX, write_standalone

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not shutil.which(NGINX), reason="nginx is not installed"),
]

READER_ADDRESS = "81.2.69.142"  # registered in the United Kingdom (RIPE NCC)
GPC_ADDRESS = "8.8.4.4"  # the United States
READER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 ToaSoanReachTest/19"
)
NEW_STORY = """
from toasoan.newsroom.models import ArticlePage
source = ArticlePage.objects.live().filter(locale__language_code="vi").order_by("pk").first()
page = source.copy(
    update_attrs={"title": "Bài thử đếm bạn đọc qua micro-cache", "slug": "bai-thu-dem-ban-doc"},
    keep_live=False,
)
page.save_revision().publish()
page = ArticlePage.objects.get(pk=page.pk)
print(page.pk, page.url)
"""


@pytest.fixture(scope="module")
def behind_nginx(demo_site, tmp_path_factory):
    """toasoan-web on the demo database behind nginx (which believes one more proxy: the
    test's X-Forwarded-For plays a CDN in front), static files collected for nginx."""
    work = tmp_path_factory.mktemp("reach-nginx")
    static = work / "static"
    env = {
        **demo_site.env,
        "REDIS_URL": "",
        "PROXY_COUNT": "2",
        "TOASOAN_SCHEDULER": "off",
        "STATIC_ROOT": str(static),
        "WEB_ACCESS_LOG": "1",
    }
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
        env=env,
        cwd=ROOT,
        check=True,
    )
    story_id, url = manage_demo(demo_site.env, "shell", "-c", NEW_STORY).split()[-2:]
    app_port, nginx_port = live.free_port(), live.free_port()
    app_log = work / "app.log"
    app = live.start_app(app_port, env, app_log)
    prefix = work / "nginx"
    conf = write_standalone(
        prefix,
        listen=f"127.0.0.1:{nginx_port}",
        app_servers=[f"127.0.0.1:{app_port}"],
        purge_from=["127.0.0.1"],
        static_root=str(static),
        media_root=str(prefix / "media"),
    )
    nginx = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
        stdout=(prefix / "nginx.out").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        live.wait_for(f"http://127.0.0.1:{nginx_port}/robots.txt", nginx, prefix / "nginx.out")
        yield {
            "base": f"http://127.0.0.1:{nginx_port}",
            # Staff sign in at the app server itself: this nginx passes Host without the
            # port, so a browser's Origin would not match it (production serves port 443).
            "staff": f"http://127.0.0.1:{app_port}",
            "story_id": int(story_id),
            "path": url.split("://", 1)[-1].partition("/")[2].join(["/", ""]),
            "logs": [app_log, Path(demo_site.env["MEDIA_ROOT"]).parent / "server.log"],
            "database": demo_site.env["DATABASE_URL"].removeprefix("sqlite:///"),
            "env": env,
        }
    finally:
        live.stop(nginx, app)


def _warm(base: str, path: str) -> None:
    """Until nginx keeps the page (MISS, then HIT)."""
    for _ in range(20):
        response = requests.get(base + path, timeout=20)  # the Host a browser sends
        assert response.status_code == 200
        if response.headers.get("X-Micro-Cache") == "HIT":
            return
    raise AssertionError("the story never came from the micro-cache")


def _row(page, table: str, label: str):
    header = page.get_by_role("rowheader", name=label, exact=True)
    return page.locator(f"section[aria-labelledby=bang-{table}] tr").filter(has=header)


def test_a_reader_through_the_micro_cache_is_counted_bots_and_gpc_are_not(browser, behind_nginx):
    base, path, story_id = behind_nginx["base"], behind_nginx["path"], behind_nginx["story_id"]

    # The editor-in-chief's dashboard is open before the reader arrives.
    staff = browser.new_context(
        viewport={"width": 1280, "height": 1000}, base_url=behind_nginx["staff"]
    )
    chief = staff.new_page()
    chief.goto("/admin/login/")
    chief.fill("#id_username", "tongbientap")
    chief.fill("#id_password", "toasoan-demo")
    chief.get_by_role("button", name="Đăng nhập").click()
    chief.wait_for_load_state("networkidle")
    chief.goto("/admin/ban-doc/")
    live_panel = chief.locator("[data-live-url]")
    expect(live_panel).to_be_visible(timeout=30_000)
    expect(live_panel).not_to_contain_text("Bài thử đếm bạn đọc")

    # A reader in the UK, on a phone-sized screen, from a Facebook link.
    reader = browser.new_context(
        viewport={"width": 375, "height": 700},
        user_agent=READER_AGENT,
        extra_http_headers={"X-Forwarded-For": READER_ADDRESS},
    )
    page = reader.new_page()
    _warm(base, path)  # (nginx keeps a copy a few seconds: warmed right before)
    with page.expect_request(lambda r: r.url.endswith(f"/luot-doc/{story_id}/")) as viewed:
        response = page.goto(base + path + "?fbclid=IwAR19")
    assert response.headers["x-micro-cache"] == "HIT"  # nginx answered, not the app
    assert viewed.value.method == "POST" and "fbclid" in viewed.value.post_data
    assert not reader.cookies()
    # Reads: scrolls to the end over a few seconds (engaged time is real time), then leaves.
    for _ in range(6):
        page.mouse.wheel(0, 2500)
        page.wait_for_timeout(500)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    with page.expect_request(lambda r: r.url.endswith(f"/luot-doc/{story_id}/doc/")) as left:
        page.evaluate("window.dispatchEvent(new Event('pagehide'))")
    sent = dict(p.split("=") for p in left.value.post_data.split("&"))
    assert int(sent["s"]) >= 2 and sent["e"] == "1" and sent["t"] == "1", sent
    screenshot(page, "reach-reader-375")

    # A crawler calling the beacon, and a reader whose browser sends Sec-GPC: 1.
    bot = requests.post(
        f"{base}/luot-doc/{story_id}/",
        headers={
            "Host": "localhost",
            "User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "X-Forwarded-For": GPC_ADDRESS,
        },
        timeout=10,
    )
    assert bot.status_code == 204
    private = browser.new_context(
        user_agent=READER_AGENT.replace("131", "130"),
        extra_http_headers={"X-Forwarded-For": GPC_ADDRESS, "Sec-GPC": "1"},
    )
    other = private.new_page()
    with other.expect_response(lambda r: r.url.endswith(f"/luot-doc/{story_id}/")) as refused:
        other.goto(base + path)
    assert refused.value.status == 204

    # Live now: the panel refreshes itself (no reload) and shows the UK (the demo's own
    # last half hour has no reader there).
    expect(live_panel.get_by_role("row", name="Anh 1", exact=True)).to_be_visible(timeout=60_000)
    # The minute's rollup (production: the flush_views timer; no dashboard page runs it).
    manage_demo(behind_nginx["env"], "flush_views")
    # The story's own page: one view, its reading time, the UK, Facebook; no US, no bot.
    chief.goto(f"/admin/ban-doc/bai/{story_id}/?ky=hom-nay")
    expect(chief.locator("[data-story-views]")).to_have_text("1", timeout=30_000)
    assert int(chief.locator("[data-story-seconds]").inner_text()) >= 2
    expect(_row(chief, "country", "Anh").locator("td").first).to_have_text("1")
    expect(_row(chief, "source", "Mạng xã hội").locator("td").first).to_have_text("1")
    expect(_row(chief, "host", "facebook").locator("td").first).to_have_text("1")
    assert _row(chief, "country", "Hoa Kỳ").count() == 0
    screenshot(chief, "reach-story-1280")
    chief.goto("/admin/ban-doc/?ky=hom-nay")
    expect(chief.locator("#bang-country")).to_be_visible()
    screenshot(chief, "reach-dashboard-1280")
    for context in (staff, reader, private):
        context.close()

    # No raw address or user agent anywhere: the database file and the app's own logs.
    connection = sqlite3.connect(behind_nginx["database"])
    connection.execute("PRAGMA wal_checkpoint(FULL)")
    connection.close()
    with open(behind_nginx["database"], "rb") as file:
        database = file.read()
    for secret in (READER_ADDRESS, GPC_ADDRESS, "ToaSoanReachTest"):
        assert secret.encode() not in database, secret
        for log in behind_nginx["logs"]:
            assert secret not in log.read_text(errors="replace"), (secret, log)
    assert f"/luot-doc/{story_id}/" in behind_nginx["logs"][0].read_text()  # it did log
