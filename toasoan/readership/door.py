"""The beacons' own door (toasoan/wsgi.py): a story's view and engaged-time beacons answered
in the WSGI layer, before Django builds a request and runs its middleware.

A beacon needs none of the middleware: no session, user, locale, CSRF token (sendBeacon
cannot send one; what a beacon can do is bounded by the rate limits in counting.py),
messages, redirects or page cache. Through Django it cost ≈ 1.4 ms of CPU, most of it
there; here it is the counting itself: the body read, a salted hash, the country, and one
Redis round trip. Both paths (this door and the Django views, which tests and any server
without this wrapper use) call `answer()`, so they count alike.

The door takes only what it can answer: POSTs to /luot-doc/<id>/ and /luot-doc/<id>/doc/
(under an edition prefix too) for an allowed host with a small form body. Anything else
goes on to Django (a GET gets its 405 there). Whatever happens while counting, the reader
gets a 204 at once: a reader's page never waits on counting.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from io import BytesIO
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import close_old_connections, connection
from django.http.request import split_domain_port, validate_host

from toasoan.core.text import nfc

from .counting import record_engagement, record_view
from .visitors import Reader, is_bot, refuses_tracking

log = logging.getLogger(__name__)

MAX_BODY = 4096  # a view beacon sends a referrer and a query string, cut to 500 characters
NO_CONTENT = [
    ("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Length", "0"),
]


def _number(data: Mapping, name: str) -> int:
    try:
        return int(str(data.get(name, "0"))[:6])
    except ValueError:
        return 0


def answer(meta: Mapping, data: Mapping, article_id: int, engagement: bool, host: str) -> None:
    """Count one beacon (META or a WSGI environ, its form fields, our host name as asked).
    Never raises: counting never costs the reader an error."""
    try:
        reader = Reader.from_meta(meta, host)
        if is_bot(reader) or refuses_tracking(reader):
            return
        if engagement:
            record_engagement(
                reader,
                article_id,
                _number(data, "s"),
                _number(data, "d"),
                data.get("e") == "1",
                data.get("t") == "1",
            )
        else:
            record_view(reader, article_id, data.get("r", ""), data.get("q", ""))
    except Exception:
        log.exception("could not count a beacon of story %s", article_id)


def _path_pattern() -> re.Pattern:
    prefixes = "|".join(
        re.escape(code) for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    )
    return re.compile(rf"^/(?:(?:{prefixes})/)?luot-doc/(\d{{1,9}})/(doc/)?$")


def _host(environ: Mapping) -> str | None:
    """Our host name as the reader asked for it, if it is one we serve (as Django checks)."""
    if settings.USE_X_FORWARDED_HOST and environ.get("HTTP_X_FORWARDED_HOST"):
        host = environ["HTTP_X_FORWARDED_HOST"]
    else:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    domain, _port = split_domain_port(host)
    return host if domain and validate_host(domain, settings.ALLOWED_HOSTS) else None


class BeaconDoor:
    """WSGI wrapper: beacons answered before Django (see the module's docstring)."""

    FORM = "application/x-www-form-urlencoded"

    def __init__(self, app):
        self.app = app
        self.path = _path_pattern()

    def __call__(self, environ: dict, start_response):
        if environ.get("REQUEST_METHOD") == "POST":
            found = self.path.match(environ.get("PATH_INFO", ""))
            if found is not None and self._answer(environ, int(found[1]), bool(found[2])):
                start_response("204 No Content", list(NO_CONTENT))
                return []
        return self.app(environ, start_response)

    def _answer(self, environ: dict, article_id: int, engagement: bool) -> bool:
        """Counts the beacon and returns True, or returns False for Django to answer it."""
        host = _host(environ)
        kind = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        if host is None or length > MAX_BODY or kind not in (self.FORM, "text/plain", ""):
            return False
        body = environ["wsgi.input"].read(length) if length else b""
        if kind != self.FORM and body:
            environ["wsgi.input"] = BytesIO(body)  # Django reads it as it always did
            return False
        data = {key: nfc(value) for key, value in parse_qsl(body.decode("utf-8", "replace"))}
        answer(environ, data, article_id, engagement, host)
        if connection.connection is not None and not connection.in_atomic_block:
            close_old_connections()  # as Django does after a request (the database is asked
        return True  # for a story or a day this worker does not know yet, or if Redis is away)
