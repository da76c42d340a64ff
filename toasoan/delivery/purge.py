"""Purging the nginx micro-caches (deploy/nginx/) when content changes.

Which URLs: toasoan.core.changes works them out (the page, its ancestors, and what content
apps add through their hook) and hands them over; this module knows no content.
Configured by `FRONTEND_CACHE_URLS` (settings.py → WAGTAILFRONTENDCACHE): one entry per nginx,
none by default. The URLs go through Wagtail's frontend-cache task (a django-tasks `@task`),
queued after the commit, so the editor's request never waits for a cache: with a task worker
(TASKS_BACKEND=database) the worker purges; with in-process tasks (the default) a background
thread of this process does, never the request that published. Failures are logged and never
reach the editor; the micro-cache's few seconds of validity bound the damage.

Every copy nginx keeps is purged: a story has one (its key ignores the query string); a
listing has its first pages (`?page=1`…`?page=N`, deploy/nginx/toasoan.conf keeps no deeper
ones), all sent. The pages a spike of readers lands on — a story, an edition's home page —
are refreshed in place rather than dropped (`HTTPBackend.refreshed`): nginx swaps in the new
copy while readers keep getting the old one, so none of them finds the page cold.
"""

import logging
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from urllib.error import HTTPError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener, urlopen

from wagtail import __version__ as wagtail_version
from wagtail.contrib.frontend_cache.backends import HTTPBackend as WagtailHTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task
from wagtail.contrib.frontend_cache.utils import get_backends

from toasoan.core.queries import STORY_SUFFIX
from toasoan.core.tasks import READERS_WAITING, runs_in_worker

from .nginx import MICRO_CACHED_PAGES

log = logging.getLogger(__name__)

PURGE_TIMEOUT = 2.0  # seconds per request; a hung cache must not hold a task worker
REFRESH_TIMEOUT = 5.0  # a refresh waits for the app's render
PURGE_CONCURRENCY = 8
# Sent with a GET from a purging address (deploy/nginx/toasoan.conf): nginx asks the app and
# replaces its copy with the answer.
REFRESH_HEADER = "X-Toasoan-Refresh"


class _KeepRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a moved page's answer is the redirect
        return None


_no_redirects = build_opener(_KeepRedirects)


# An edition's home page: "/", "/en/"…
_HOME = re.compile(r"/(?:[a-z]{2}/)?")


def refreshable(url: str) -> bool:
    """The pages a whole spike of readers lands on — a story, an edition's home page — are
    refreshed in place. Everything else (sections, a listing's deeper pages, feeds,
    sitemaps) is purged and rendered again when someone asks: refreshing it all would make
    the app render pages nobody reads, beside the story readers wait for."""
    parts = urlsplit(url)
    if parts.query:
        return False
    return parts.path.endswith(STORY_SUFFIX) or bool(_HOME.fullmatch(parts.path))


class HTTPBackend(WagtailHTTPBackend):
    """Wagtail's PURGE-over-HTTP backend with a timeout (Wagtail's waits forever) and the
    URLs of one change sent in parallel, so a batch costs about one round trip."""

    def purge(self, url: str) -> None:
        """A page is refreshed in place where it can be (`refreshed`), else purged."""
        if not refreshable(url) or not self.refreshed(url):
            self.purge_copy(url)

    def _at_cache(self, url: str) -> tuple[str, str]:
        """The public URL's address at this cache, and the Host header its copy is kept by."""
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        return urlunsplit([self.cache_scheme, self.cache_netloc, parts.path, parts.query, ""]), host

    def refreshed(self, url: str) -> bool:
        """Ask nginx to fetch the page anew and swap its copy (REFRESH_HEADER, honoured only
        from the purging addresses): readers keep getting the old copy until the new one is
        in. A purge left the page cold instead, and every reader of the next moment waited
        on nginx's cache lock, which looks again only every 500 ms. False when the answer is
        not a public page (gone, moved, private): nginx may have kept the old copy."""
        at_cache, host = self._at_cache(url)
        request = Request(
            at_cache, headers={"Host": host, REFRESH_HEADER: "1", "User-Agent": "toasoan-refresh"}
        )
        try:
            with _no_redirects.open(request, timeout=REFRESH_TIMEOUT) as response:
                response.read()
                control = response.headers.get("Cache-Control") or ""
                return response.status == 200 and not {"private", "no-store"} & {
                    part.strip() for part in control.split(",")
                }
        except OSError:  # HTTPError (404, 5xx…), refused, timed out: purge it instead
            return False

    def purge_copy(self, url: str) -> None:
        at_cache, host = self._at_cache(url)
        request = PurgeRequest(
            url=at_cache,
            headers={"Host": host, "User-Agent": f"Wagtail-frontendcache/{wagtail_version}"},
        )
        try:
            urlopen(request, timeout=PURGE_TIMEOUT).close()  # noqa: S310 - configured URL
        except HTTPError as error:
            if error.code != 404:  # 404: nothing cached under that URL, nothing to do
                log.error("Purge of %s from %s failed: HTTP %s", url, self.cache_netloc, error.code)
        except OSError as error:  # refused, unreachable, timed out
            log.error("Purge of %s from %s failed: %s", url, self.cache_netloc, error)

    def purge_batch(self, urls) -> None:
        with ThreadPoolExecutor(max_workers=PURGE_CONCURRENCY) as pool:
            list(pool.map(self.purge, urls))


def enabled() -> bool:
    return bool(get_backends())


class NginxMicroCaches:
    """The front cache toasoan.core.changes hands changed URLs to (FRONT_CACHE_HOOK)."""

    @staticmethod
    def enabled() -> bool:
        return enabled()

    @staticmethod
    def enqueue(urls: list[str]) -> None:
        enqueue(urls)

    @staticmethod
    def purge(urls: list[str]) -> None:
        """Now, in this process: for a task already running in the worker."""
        if urls and enabled():
            purge_urls_from_cache_task.call(with_variants(urls))


def with_variants(urls: list[str]) -> list[str]:
    """Each URL and the other copies nginx keeps of it: a listing's first pages."""
    out: list[str] = []
    for url in urls:
        out.append(url)
        parts = urlsplit(url)
        if not parts.query and not parts.path.endswith(STORY_SUFFIX):
            out += [f"{url}?page={n}" for n in range(1, MICRO_CACHED_PAGES + 1)]
    return out


_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="toasoan-purge")
_pending: set[Future] = set()
_pending_lock = threading.Lock()


def _run_in_background(urls: list[str]) -> None:
    def run() -> None:
        try:
            purge_urls_from_cache_task.call(urls)
        except Exception:
            log.exception("Purge of %d URLs failed", len(urls))

    future = _background.submit(run)
    with _pending_lock:
        _pending.add(future)
    future.add_done_callback(lambda done: _pending.discard(done))


def drain(timeout: float = 10.0) -> None:
    """Wait for this process's background purges (tests, the bench, shutdown)."""
    with _pending_lock:
        pending = set(_pending)
    wait(pending, timeout=timeout)


def enqueue(urls: list[str]) -> None:
    """Queue the purge; never waits for nginx and never raises into the editor's request."""
    if not urls or not enabled():
        return
    urls = with_variants(urls)
    try:
        if runs_in_worker():  # before the photo sizes and the indexing queued with it
            purge_urls_from_cache_task.using(priority=READERS_WAITING).enqueue(urls)
        else:  # in-process tasks would purge inside the publishing request: not there
            _run_in_background(urls)
    except Exception:  # the queue itself is down: the micro-cache expires on its own
        log.exception("Could not queue the purge of %d URLs", len(urls))
