"""Helpers for the import and wire tests: the copied WordPress fixtures, generated exports,
JPEG files for --media-dir, and a local HTTP server (tests never touch the network)."""

import http.server
import io
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

DATA = Path(__file__).resolve().parents[1] / "data" / "wxr"


def fixture_file(name: str) -> Path:
    return DATA / f"wordpress-importer_{name}.xml"


def jpeg(path: Path, size=(640, 400), color=(200, 80, 40)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(autouse=True)
def _inline_imports(settings):
    """Admin-started imports run before the response in tests (no background thread)."""
    settings.TOASOAN = {**settings.TOASOAN, "INGEST_INLINE": True}


class Route:
    """What the local server answers on one path."""

    def __init__(
        self,
        body: bytes = b"",
        status: int = 200,
        content_type="application/rss+xml",
        delay: float = 0.0,
        cut_after: int | None = None,
    ):
        self.body, self.status, self.content_type = body, status, content_type
        self.delay, self.cut_after = delay, cut_after
        self.hits = 0


class LocalServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        routes = self.routes

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                route = routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                route.hits += 1
                if route.delay:
                    time.sleep(route.delay)
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                body = route.body if route.cut_after is None else route.body[: route.cut_after]
                try:
                    self.wfile.write(body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if route.cut_after is not None:
                    self.close_connection = True

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        host, port = self.server.server_address
        return f"http://{host}:{port}{path}"

    def serve(self, path: str, **kwargs) -> str:
        self.routes[path] = Route(**kwargs)
        return self.url(path)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def local_server():
    server = LocalServer()
    yield server
    server.close()
