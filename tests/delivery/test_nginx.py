"""deploy/nginx/toasoan.conf for real: nginx -t, then nginx in front of the app (gunicorn)."""

import http.client
import shutil
import subprocess
import time

import pytest
import requests

from tests.delivery import live
from toasoan.delivery.nginx import NGINX, render_site, write_standalone

PATH = "/robots.txt?page=2"  # not the address the start-up check warmed
pytestmark = pytest.mark.skipif(not shutil.which(NGINX), reason="nginx is not installed")


def test_rendered_configuration_passes_nginx_t(tmp_path):
    conf = write_standalone(
        tmp_path,
        listen="127.0.0.1:8089",
        app_servers=["10.0.0.5:8000", "10.0.0.6:8000"],
        purge_from=["10.0.0.5", "10.0.0.6"],
        static_root="/srv/toasoan/staticfiles",
        media_root="/srv/toasoan/media",
    )
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    site = render_site(app_servers=["10.0.0.5:8000"], purge_from=["10.0.0.5"])
    assert "${" not in site and "server 10.0.0.5:8000" in site


@pytest.fixture
def nginx_in_front(tmp_path):
    """The app under gunicorn (the other supported server, with deploy/gunicorn.conf.py; no
    content needed: /robots.txt) behind nginx; PURGE allowed only from
    127.0.0.2, so the test can be both a stranger and an app server."""
    app_port, nginx_port = live.free_port(), live.free_port()
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'leer.sqlite3'}",
        "REDIS_URL": "",
        "DEBUG": "1",
        "TOASOAN_SCHEDULER": "off",
    }
    app = live.start_gunicorn(app_port, env, tmp_path / "gunicorn.log")
    try:
        nginx = live.start_nginx(
            tmp_path / "nginx", nginx_port, [app_port], purge_from=["127.0.0.2"]
        )
    except Exception:
        live.stop(app)
        raise
    yield f"http://127.0.0.1:{nginx_port}", nginx_port, tmp_path / "nginx" / "media"
    live.stop(nginx, app)


def _status(base: str, path: str = PATH, **headers) -> str:
    response = requests.get(base + path, headers={"Host": "localhost", **headers}, timeout=5)
    assert response.status_code == 200
    return response.headers["X-Micro-Cache"]


def _purge(port: int, source: str, path: str = PATH, host: str = "localhost") -> int:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=5, source_address=(source, 0)
    )
    connection.request("PURGE", path, headers={"Host": host})
    status = connection.getresponse().status
    connection.close()
    return status


def test_micro_cache_hit_session_bypass_and_purge(nginx_in_front):
    base, port, _media = nginx_in_front
    assert _status(base) in ("MISS", "EXPIRED")
    assert _status(base) == "HIT"
    # Staff (a session cookie) never get, nor leave, the shared copy.
    assert _status(base, Cookie="csrftoken=a; sessionid=abc") == "BYPASS"
    assert _status(base, Cookie="messages=x") == "BYPASS"
    assert _status(base, Cookie="toasoan_nguoi_doc=1") == "HIT"  # other cookies share it
    # Staff paths never touch the cache.
    staff = requests.get(base + "/admin/login/", headers={"Host": "localhost"}, timeout=10)
    assert "X-Micro-Cache" not in staff.headers

    assert _purge(port, "127.0.0.1") == 403  # not an app server
    assert _status(base) == "HIT"
    assert _purge(port, "127.0.0.2") == 200
    assert _status(base) == "MISS"
    assert _status(base) == "HIT"


def test_media_is_never_sniffed(nginx_in_front):
    base, _port, media = nginx_in_front
    photo = media / "original_images" / "anh.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8\xff\xfe\x00\x10<html><script>alert(1)</script>\xff\xd9")
    response = requests.get(base + "/media/original_images/anh.jpg", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


FROM_CACHE = {"HIT", "STALE", "UPDATING", "REVALIDATED"}


def test_tracking_and_made_up_parameters_share_one_micro_cached_copy(nginx_in_front):
    """Readers of a shared link (unique ?fbclid=…) are answered from the copy nginx keeps, and
    only the page number splits a listing's copies; a PURGE reaches each of them."""
    base, port, _media = nginx_in_front
    path = "/robots.txt?page=3"
    assert _status(base, path) in ("MISS", "EXPIRED")
    statuses = {
        _status(base, f"/robots.txt?fbclid=IwAR{n}&page=3&utm_source=fb&zarsrc={n}&x={n}")
        for n in range(200)
    }
    assert statuses <= FROM_CACHE  # (past the 5 s, one refresh in the background)
    assert _status(base, "/robots.txt?page=4&gclid=1") in ("MISS", "EXPIRED")
    # A page number nginx's purges would not reach, or an old WordPress ?p=: the app's cache.
    assert _status(base, "/robots.txt?page=9") == "BYPASS"
    legacy = requests.get(
        base + "/robots.txt?p=12&fbclid=1", headers={"Host": "localhost"}, timeout=5
    )
    assert legacy.headers["X-Micro-Cache"] == "BYPASS"  # (this app has no tables: a 500)
    # Case and repeats as nginx reads them: the first `page` named in any case.
    assert _status(base, "/robots.txt?PAGE=3&page=1") in FROM_CACHE

    assert _purge(port, "127.0.0.2", "/robots.txt?page=3") == 200
    assert _status(base, "/robots.txt?page=3&fbclid=2") == "MISS"


MEDIA_FILES = [  # (path under /media/, content, downloaded rather than shown)
    ("original_images/anh.jpg", b"\xff\xd8\xff\xd9", False),
    ("images/anh.max-165x165.PNG", b"\x89PNG\r\n\x1a\n", False),
    ("original_images/bieu-do.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', True),
    ("imports/bao-cao.pdf", b"%PDF-1.4", True),
    ("imports/trang.html", b"<html><script>alert(1)</script></html>", True),
    ("imports/khong-duoi", b"<html></html>", True),
]


def test_media_other_than_photos_is_downloaded_not_shown(nginx_in_front):
    base, _port, media = nginx_in_front
    for name, body, attachment in MEDIA_FILES:
        path = media / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        response = requests.get(f"{base}/media/{name}", timeout=5)
        assert response.status_code == 200, name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name
        disposition = response.headers.get("Content-Disposition")
        assert disposition == ("attachment" if attachment else None), name


def test_print_page_pdfs_may_be_big_and_nothing_else(nginx_in_front):
    """A print issue's page PDFs go up in one request of hundreds of MB; any other request
    keeps the 25 MB limit."""
    base, _port, _media = nginx_in_front
    body = b"%PDF-1.7\n" + b"0" * (30 * 1024 * 1024)
    headers = {"Host": "localhost", "Content-Type": "application/pdf"}
    other = requests.post(f"{base}/admin/pages/", data=body, headers=headers, timeout=60)
    assert other.status_code == 413
    pdfs = requests.post(f"{base}/admin/bao-in/so/1/pdf/", data=body, headers=headers, timeout=60)
    assert pdfs.status_code != 413 and pdfs.status_code < 500  # the app's answer (signed out)


def test_a_purge_reaches_the_copy_whatever_host_readers_typed(nginx_in_front):
    """The app purges with its site's host name; readers who came through another name of
    the server (www., an address) are on the same copy, so the publish reaches them at once
    instead of after the micro-cache's lifetime."""
    base, port, _media = nginx_in_front
    path = "/robots.txt?page=5"
    typed = {"Host": "127.0.0.1"}
    requests.get(base + path, headers=typed, timeout=5)
    assert requests.get(base + path, headers=typed, timeout=5).headers["X-Micro-Cache"] == "HIT"
    assert _status(base, path) == "HIT"  # the site's own name: the same copy
    assert _purge(port, "127.0.0.2", path, host="localhost") == 200
    assert requests.get(base + path, headers=typed, timeout=5).headers["X-Micro-Cache"] == "MISS"


def _refresh(port: int, source: str, path: str = PATH) -> str:
    """A GET with the app's refresh header, from `source`: nginx's cache status."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=5, source_address=(source, 0)
    )
    connection.request("GET", path, headers={"Host": "localhost", "X-Toasoan-Refresh": "1"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.getheader("X-Micro-Cache")


def test_an_app_server_refreshes_a_copy_in_place_and_readers_never_find_it_cold(
    nginx_in_front,
):
    base, port, _media = nginx_in_front
    assert _status(base) in ("MISS", "EXPIRED")
    assert _refresh(port, "127.0.0.1") == "HIT"  # a reader sending the header: a reader
    time.sleep(3.5)
    assert _refresh(port, "127.0.0.2") == "BYPASS"  # an app server's: fetched anew
    assert _status(base) == "HIT"  # the new copy is there at once, nobody waits
    time.sleep(2.5)  # past the first copy's 5 s: still fresh, so it was replaced
    assert _status(base) == "HIT"


@pytest.fixture
def nginx_before_a_compressing_app(tmp_path):
    """nginx in front of a stand-in app that answers a story page gzipped when asked (as
    GZipMiddleware does) and notes what each request asked for."""
    import gzip
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    page = "<!doctype html><html lang=vi><title>Tin nóng</title>" + "<p>Mưa lớn.</p>" * 400
    asked = []

    class App(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.headers.get("Accept-Encoding", ""))
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "public, max-age=0, s-maxage=5")
            self.send_header("Vary", "Accept-Encoding, Cookie")
            if "gzip" in asked[-1]:
                body = gzip.compress(body)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    app = ThreadingHTTPServer(("127.0.0.1", live.free_port()), App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    nginx_port = live.free_port()
    nginx = live.start_nginx(tmp_path / "nginx", nginx_port, [app.server_port])
    asked.clear()  # the start-up check's request
    yield nginx_port, page, asked
    live.stop(nginx)
    app.shutdown()


def test_one_compressed_copy_serves_browsers_and_readers_who_ask_for_plain_pages(
    nginx_before_a_compressing_app,
):
    """The app compresses a page once; nginx keeps that copy and unpacks it for a reader
    who does not take gzip, instead of compressing the page again for every browser."""
    import gzip

    port, page, asked = nginx_before_a_compressing_app
    path = "/thoi-su/tin-nong-1.html"

    def ask(**headers):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path, headers={"Host": "localhost", **headers})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response, body

    plain, body = ask()  # the first reader takes no gzip: the app is asked for it all the same
    assert plain.status == 200 and plain.getheader("Content-Encoding") is None
    assert body.decode() == page and asked == ["gzip"]
    browser, packed = ask(**{"Accept-Encoding": "gzip, deflate, br"})
    assert browser.getheader("X-Micro-Cache") == "HIT"
    assert browser.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(packed).decode() == page and len(packed) < len(page) / 10
    again, body = ask()
    assert again.getheader("X-Micro-Cache") == "HIT" and body.decode() == page
    assert asked == ["gzip"]  # one copy, compressed once by the app
