"""Whole public pages cached for anonymous readers, shared by every app server.

Why our own middleware and not Django's per-site cache: Django's varies on the whole Cookie
header (every reader with an analytics cookie would miss), hands browsers a max-age as long
as the server copy lives, and cannot be dropped at once when a story changes. Here the key
is (content generation, scheme, host, path, the query parameters the page reads) — the
edition's language is in the path (/en/…) and nothing else picks it; tracking parameters
(`?fbclid=`, `?utm_source=`…) and any other the page does not read are not in the key, nor
handed to the view (toasoan/core/queries.py) — and `changes.bump()` makes every copy stale
at once.

Who is served from the cache: GET/HEAD requests without a session (or messages) cookie, off
the staff, API, search and document paths. What is stored: 200, 301 and 404 responses that
set no cookie, are not private/no-store/no-cache (`never_cache` views such as the beacons and
the comment form opt out that way) and vary on nothing but Cookie.

Cache-Control to anonymous readers: `public, max-age=0, must-revalidate, s-maxage=N`, with a
strong ETag. Browsers may keep the page but must ask again on every view; the answer is a
bodiless 304 straight from the cache while nothing changed, so this costs a round trip and
no rendering, and a reader never keeps an unpublished story on screen from a browser cache.
Shared caches (the nginx micro-cache in deploy/nginx/) may keep it N seconds (a few), and
are purged on publish anyway (purge.py).

Staff (and any request carrying a session) get `private, no-cache`: no shared cache keeps
them, and the anonymous copy is never looked up for them, so neither side sees the other's.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import get_conditional_response

from toasoan.core import changes
from toasoan.core.paths import is_cached_as_page, is_reader_action
from toasoan.core.queries import cache_query
from toasoan.core.tasks import watching_for_stand_ins
from toasoan.core.worker_copies import MB, WorkerCopies

KEY_PREFIX = "delivery:page"
STORED_STATUSES = {200, 301, 404}
ALLOWED_VARY = {"cookie", "accept-encoding"}
UNSTORABLE = ("private", "no-store", "no-cache")
STAFF_CACHE_CONTROL = "private, no-cache"


def _bypass_cookies() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, "messages")


def has_session(request: HttpRequest) -> bool:
    return any(name in request.COOKIES for name in _bypass_cookies())


def cacheable_request(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not has_session(request)
        and is_cached_as_page(request.path_info)
    )


def keyed_query(path: str, query: str) -> str:
    """The query string a cacheable request is rendered and cached under (core/queries.py):
    tracking and unknown parameters never split the cache. Readers' own forms keep theirs."""
    return query if is_reader_action(path) else cache_query(path, query)


def _left_out(query: str, kept: str) -> str:
    names = {part.partition("=")[0].lower() for part in kept.split("&")}
    return "&".join(p for p in query.split("&") if p and p.partition("=")[0].lower() not in names)


def _keep_read_parameters(request: HttpRequest) -> str:
    """Hand the view only what the key holds, so no copy depends on what the key lacks.
    Returns the parameters left out ("" if none)."""
    query = request.META.get("QUERY_STRING", "")
    if not query or (kept := keyed_query(request.path_info, query)) == query:
        return ""
    request.META["QUERY_STRING"] = kept
    request.__dict__.pop("GET", None)  # WSGIRequest.GET is a cached property
    return _left_out(query, kept)


def _with_query(location: str, left_out: str) -> str:
    return location + ("&" if "?" in location else "?") + left_out


def _carry_on_redirect(response: HttpResponse, left_out: str) -> HttpResponse:
    """A redirect (an old slug → the story's address) keeps the reader's ?utm_…/?fbclid…,
    for the analytics on the page it leads to. The stored copy has none; this answer is
    the reader's own, so the front door does not keep it (it adds them itself)."""
    if left_out and response.status_code in (301, 302) and response.has_header("Location"):
        response["Location"] = _with_query(response["Location"], left_out)
        response.worker_copy = False
    return response


def storable(response: HttpResponse) -> bool:
    if response.status_code not in STORED_STATUSES or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in UNSTORABLE):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= ALLOWED_VARY and "Content-Encoding" not in response


def public_cache_control() -> str:
    shared = settings.PAGE_CACHE_SHARED_SECONDS
    return f"public, max-age=0, must-revalidate, s-maxage={shared}"


def _key(request: HttpRequest, generation: int) -> str:
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"{KEY_PREFIX}:{generation}:{hashlib.sha256(where.encode()).hexdigest()[:40]}"


# Bytes, not pages: ~200 stories (30 kB) or ~25 home pages; a worker's RSS stays put
# whatever pages a crawler walks through (a spike is a handful of URLs). The front door's
# copy of a page holds the very body the page cache's copy holds (the same bytes object),
# put there at once and kept as long: each counts it, so together they usually hold about one
# budget's worth (6 MB); 12 MB only if the two were to evict different pages.
# Second sight: a page is kept from its second reader in this worker (served from the shared
# cache), answered by the front door from its third. A crawler asks for each page once, so
# its walk leaves these stores empty instead of full (bench `memory`: 173 -> 164 MB).
worker_copies = WorkerCopies(max_bytes=6 * MB, second_sight=True)
front_copies = WorkerCopies(max_bytes=6 * MB, second_sight=True)  # FrontDoor's: bytes sent
WORKER_COPY_SECONDS = 30  # at most; a copy of a page also ends with its generation
STAND_IN_SECONDS = 30  # a page showing stand-ins for queued work (core.tasks.awaiting_worker)


# One render per page at a time, across workers and servers (the claim is a key in the shared
# cache): the readers of a story that has just been published, arriving together, wait for the
# first one's render instead of each rendering it, or waiting on nginx's cache lock, which looks
# again only every 500 ms (bench `spike`). A claim ends with its render, or after this long.
RENDER_CLAIM_SECONDS = 10
WAIT_FOR_RENDER_SECONDS = 5  # then render here all the same
WAIT_STEP_SECONDS = 0.005


def _claim(key: str) -> str:
    return f"{key}:rendering"


def _claim_render(key: str) -> bool:
    """True: this request renders the page (also when the shared cache cannot say)."""
    return cache.add(_claim(key), 1, RENDER_CLAIM_SECONDS) is not False


def _rendered_elsewhere(key: str, version_key: str) -> tuple | None:
    """The copy another request is rendering, once stored; None when that render ends
    without one (an error, an unstorable answer), the page changed meanwhile, or it takes
    too long: then this request renders the page itself."""
    claim = _claim(key)
    deadline = time.monotonic() + WAIT_FOR_RENDER_SECONDS
    step = WAIT_STEP_SECONDS
    while time.monotonic() < deadline:
        time.sleep(step)
        step = min(step * 1.5, 0.05)
        found = cache.get_many([key, version_key, claim])
        entry = _current(found, key, version_key)
        if entry is not None:
            return entry
        if claim not in found:
            return None
    return None


def forget_worker_copies() -> None:
    """Drop this worker's own copies (tests, after emptying the shared cache)."""
    worker_copies.clear()
    front_copies.clear()
    changes.forget_trusted()
    changes.forget_remembered()


class FrontDoor:
    """WSGI wrapper (toasoan/wsgi.py): this worker's copies of hot pages answered before Django.

    A page-cache hit through Django still builds a request, runs the middleware and copies
    the response: most of a millisecond of Python. Here a hit is a dictionary lookup, so one
    app server answers several times more readers in a spike. Only what the page cache itself
    stored is kept (the response it marks `worker_copy`), as Django finally sent it, under the
    generation and the request's scheme, host and full path; it is answered only to plain GETs
    that carry no session or messages cookie and no conditional header (those go to Django,
    which answers 304s and keeps staff apart exactly as before)."""

    KEYED = (
        "wsgi.url_scheme",
        "HTTP_X_FORWARDED_PROTO",
        "HTTP_X_FORWARDED_HOST",
        "HTTP_X_FORWARDED_PORT",
        "HTTP_HOST",
        "SERVER_NAME",
        "SERVER_PORT",
        "SCRIPT_NAME",
        "PATH_INFO",
    )
    CONDITIONAL = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_RANGE")

    def __init__(self, app):
        self.app = app

    def __call__(self, environ: dict, start_response):
        if not self._plain_anonymous_get(environ):
            return self.app(environ, start_response)
        query = environ.get("QUERY_STRING", "")
        kept = self._query(environ, query)
        # Django's answer is compressed for readers who take gzip (GZipMiddleware), plain
        # for the others: each kind has its own copy.
        gzip = bool(re_accepts_gzip.search(environ.get("HTTP_ACCEPT_ENCODING", "")))
        key = (changes.worker_epoch(), *(environ.get(name) for name in self.KEYED), kept, gzip)
        found = front_copies.get(key)
        if found is not None:
            status, headers, body = found
            if kept != query and status.startswith(("301", "302")):
                left_out = _left_out(query, kept)
                headers = [
                    (k, _with_query(v, left_out) if k == "Location" else v) for k, v in headers
                ]
            start_response(status, list(headers))
            return [body]
        sent: list = []

        def keep_status(status, headers, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        response = self.app(environ, keep_status)
        if getattr(response, "worker_copy", False) and sent:
            headers = [(k, "HIT" if k == "X-Cache" else v) for k, v in sent[1]]
            front_copies.put(key, (sent[0], headers, response.content), WORKER_COPY_SECONDS)
        return response

    @staticmethod
    def _query(environ: dict, query: str) -> str:
        path = environ.get("PATH_INFO", "")
        return keyed_query(path, query) if query and is_cached_as_page(path) else query

    def _plain_anonymous_get(self, environ: dict) -> bool:
        if environ.get("REQUEST_METHOD") != "GET":
            return False
        if any(name in environ for name in self.CONDITIONAL):
            return False
        cookies = environ.get("HTTP_COOKIE", "")
        return not any(f"{name}=" in cookies for name in _bypass_cookies())


def _version_of(entry: tuple):
    """The path's version a copy was rendered under (None: never changed by page_changed)."""
    return entry[3] if len(entry) > 3 else None


def _current(found: dict, key: str, version_key: str) -> tuple | None:
    """The copy among `found` (a get_many of both keys), unless it was rendered before
    the page's own last change."""
    entry = found.get(key)
    if entry is None or _version_of(entry) != found.get(version_key):
        return None
    return entry


def _from_entry(entry: tuple) -> HttpResponse:
    status, headers, content = entry[:3]
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    return response


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """304 when the reader's copy is current (Django keeps ETag and Cache-Control on it)."""
    if response.status_code != 200:
        return response
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


class PageCacheMiddleware:
    """Serve anonymous public pages from the shared cache; see the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable_request(request):
            response = self.get_response(request)
            if has_session(request) or getattr(getattr(request, "user", None), "pk", None):
                self._mark_private(response)
            return response

        left_out = _keep_read_parameters(request)
        epoch = changes.worker_epoch()
        generation = epoch[0]
        key = _key(request, generation)
        version_key = changes.path_version_key(request.path)
        entry = worker_copies.get((epoch, key))
        version, claimed = None, False
        if entry is None:
            # the copy and its path's version in one round trip (changes.page_changed)
            found = cache.get_many([key, version_key])
            version = found.get(version_key)
            entry = _current(found, key, version_key)
            if entry is None and request.method == "GET":
                claimed = _claim_render(key)
                if not claimed:
                    entry = _rendered_elsewhere(key, version_key)
            if entry is not None:
                worker_copies.put((epoch, key), entry, WORKER_COPY_SECONDS)
        if entry is not None:
            response = _conditional(request, _from_entry(entry))
            response["X-Cache"] = "HIT"
            response.worker_copy = response.status_code == entry[0]  # not a 304
            return _carry_on_redirect(response, left_out)
        try:
            return self._render(request, key, epoch, version, left_out)
        finally:
            if claimed:
                cache.delete(_claim(key))

    def _render(self, request, key: str, epoch, version, left_out: str) -> HttpResponse:
        with changes.pinned(epoch[0]), watching_for_stand_ins() as stand_ins:
            response = self.get_response(request)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            with_stand_ins = stand_ins()
        if getattr(getattr(request, "user", None), "is_authenticated", False):
            self._mark_private(response)  # signed in without a session cookie: never shared
            return response
        if not storable(response):
            return _carry_on_redirect(response, left_out)
        response["Cache-Control"] = public_cache_control()
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        if request.method == "GET":  # a HEAD answer may have lost its body on the way
            headers = [(k, v) for k, v in response.items() if k.lower() != "x-cache"]
            # kept with the path's version read before the render: a change of the page
            # committed meanwhile leaves this copy unused (page_changed raises it again)
            entry = (response.status_code, headers, response.content, version)
            timeout = settings.PAGE_CACHE_SECONDS
            timeout = timeout if response.status_code != 404 else 60
            if with_stand_ins:  # an original photo for a size the task worker is making
                timeout = min(timeout, STAND_IN_SECONDS)
            cache.set(key, entry, timeout)
            worker_copies.put((epoch, key), entry, min(timeout, WORKER_COPY_SECONDS))
            response.worker_copy = True
        response = _conditional(request, response)
        response["X-Cache"] = "MISS"
        return _carry_on_redirect(response, left_out)

    @staticmethod
    def _mark_private(response: HttpResponse) -> None:
        control = response.get("Cache-Control", "").lower()
        if "no-store" not in control and "private" not in control:
            response["Cache-Control"] = STAFF_CACHE_CONTROL
