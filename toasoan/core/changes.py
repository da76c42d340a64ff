"""The one "content changed" event: a generation number, and purges of the front caches.

Content apps say what changed (`content_changed()`); infrastructure learns about it through
two Wagtail hooks, so this ground floor knows no content app and no cache:
- `PUBLIC_URLS_HOOK` — `fn(page, chain) -> URLs`: the public addresses, besides the page's
  own and its ancestors', that may show a changed page (feeds, sitemaps…), filled by the
  content apps in their wagtail_hooks.py;
- `FRONT_CACHE_HOOK` — an object with `enabled()`, `enqueue(urls)` (queue their purge) and
  `purge(urls)` (purge now, in a task): a front cache (toasoan.delivery registers the nginx
  micro-caches).

A change of one page's own content that shows nowhere else (a live blog's entries) calls
`page_changed(page)` instead: that address's copies go stale (a version per path, which the
page cache reads with each copy) and are purged, and nothing else is touched.

Every cache of rendered or derived public content (whole pages, feeds, sitemaps, menus, the
API's site map, edition links) puts `generation()` in its keys. A change bumps the number in
the shared cache (Redis in production), so every app server stops using every old copy at
once, without knowing which keys exist; old copies simply expire.

What frames every page (sites, locales, the editions' homes and mastheads, the sections, the
paper's settings, view restrictions) changes far less often than the stories: such a change
also raises the frame (FRAME_KEY), and what is read from those alone is kept under it
(`framed`), so the first reader of a story just published does not wait for them again.

`content_changed()` bumps now (this worker sees its own change at once) and again after the
commit: a reader on another server may have rendered the not-yet-committed old state under
the first new number in between. After the commit it also hands the changed pages' URLs to
the front caches, which queue their purge (through django-tasks), so a slow or dead nginx
never holds up an editor.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from django_tasks import task
from wagtail import hooks

from .tasks import READERS_WAITING, runs_in_worker
from .worker_copies import MB, WorkerCopies

if TYPE_CHECKING:
    from wagtail.models import Page

GENERATION_KEY = "delivery:generation"
# Raised when what frames every page changes (sites, locales, editions' homes and mastheads,
# sections, the paper's settings, view restrictions), with the generation: what is kept
# under it (`framed`) survives the publishing of a story, which changes none of these.
FRAME_KEY = "delivery:frame"
# Raised by every change of one page's own content (`page_changed`): this worker's copies of
# pages (not the shared ones) are kept under it, so they are dropped on every worker too.
LOCAL_CHANGES_KEY = "delivery:local-changes"
PATH_VERSION_PREFIX = "delivery:path"
JUST_CHANGED_KEY = "delivery:just-changed"  # set for a few seconds after each change
# The generation read once at the start of a public request (pagecache.py), so one page is
# rendered against one generation and pays one cache read for it.
_request_generation: ContextVar[int | None] = ContextVar("delivery_generation", default=None)


# A worker may trust its last reading of the generation this long (page cache hits then
# cost no call to Redis); a change on another server is still seen well within 2 seconds.
TRUSTED_SECONDS = 0.5
# [trusted until (monotonic), generation, local changes, frame]
_trusted: list[float] = [0.0, 0, 0, 0]


def _fresh_number() -> int:
    """A generation no copy can carry: the clock in milliseconds. Used when the counter is
    missing (first start, Redis flushed or restarted), so numbers never start over at 1."""
    return int(time.time() * 1000)


def generation() -> int:
    """The current generation: the request's own if pinned, else this worker's reading of
    the shared counter, trusted for TRUSTED_SECONDS."""
    pinned = _request_generation.get()
    if pinned is not None:
        return pinned
    return trusted_generation()


@contextmanager
def pinned(value: int) -> Iterator[None]:
    """Render one request against one generation (the page cache pins the one it looked up)."""
    token = _request_generation.set(value)
    try:
        yield
    finally:
        _request_generation.reset(token)


def _shared_generation() -> tuple[int | None, int, int]:
    """The shared counter (created if missing) — None when the shared cache cannot be reached
    (then even `add` could not create it) — and the count of local changes and the frame,
    read with it. A missing counter or frame (first start, evicted, Redis flushed) starts at
    a clock number, never at one an old copy may carry."""
    values = cache.get_many([GENERATION_KEY, LOCAL_CHANGES_KEY, FRAME_KEY])
    value, frame = values.get(GENERATION_KEY), values.get(FRAME_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_number(), timeout=None)
        value = cache.get(GENERATION_KEY)
    if frame is None and value is not None:
        cache.add(FRAME_KEY, _fresh_number(), timeout=None)
        frame = cache.get(FRAME_KEY)
    local = int(values.get(LOCAL_CHANGES_KEY) or 0)
    return (None if value is None else int(value)), local, int(frame or 0)


# A change made on this worker while the shared cache was unreachable: pushed to the shared
# counter as soon as it answers again, so no worker keeps serving what came before it.
_unshared_change: list[bool] = [False]


def trusted_generation() -> int:
    """`generation()`, read from the shared cache at most once per TRUSTED_SECONDS.

    While the shared cache is unreachable (Redis down or hung: toasoan.core.breaker), the last
    number read stays in use — a new one per request would make every copy unreachable and
    every request a full render — so this worker's copies keep serving, each at most
    pagecache.WORKER_COPY_SECONDS old (docs/van-hanh.md). A worker that never read one takes
    a clock number once and keeps it."""
    now = time.monotonic()
    if now < _trusted[0]:
        return int(_trusted[1])
    value, local, frame = _shared_generation()
    if value is None:
        value, local, frame = int(_trusted[1]) or _fresh_number(), *map(int, _trusted[2:])
    elif _unshared_change[0]:
        _unshared_change[0] = False
        _raise(FRAME_KEY)  # which change it was is not known: the frame too
        bump()
        return trusted_generation()
    _trusted[:] = [now + TRUSTED_SECONDS, value, local, frame]
    return value


def frame() -> int:
    """The current frame (FRAME_KEY), read with the generation."""
    trusted_generation()
    return int(_trusted[3])


def worker_epoch() -> tuple[int, int]:
    """What this worker's own copies of pages are kept under: the generation and the count
    of local changes (read together, at most once per TRUSTED_SECONDS). A page's own change
    (`page_changed`) leaves the shared copies of every other page valid, but a worker cannot
    tell which of its copies it touched without asking the shared cache: it drops them all
    and fetches each again (no render) from the shared cache."""
    generation = trusted_generation()
    return generation, int(_trusted[2])


def forget_trusted() -> None:
    _trusted[:] = [0.0, 0, 0, 0]
    _unshared_change[0] = False


def bump(**kwargs) -> None:
    """Make every cached page, feed, sitemap and listing stale on every worker."""
    try:
        shared = cache.incr(GENERATION_KEY) is not None
    except ValueError:  # never read yet (or evicted): a number above any in use
        cache.set(GENERATION_KEY, _fresh_number(), timeout=None)
        shared = cache.get(GENERATION_KEY) is not None
    if not shared:  # unreachable: this worker moves on alone, the others when it returns
        _unshared_change[0] = True
        moved = max(_fresh_number(), int(_trusted[1]) + 1)
        framed_at = max(_fresh_number(), int(_trusted[3]) + 1)  # it may have been the frame
        _trusted[:] = [time.monotonic() + TRUSTED_SECONDS, moved, int(_trusted[2]), framed_at]
        return
    forget_trusted()  # this worker sees its own change at once


_remembered: dict[str, tuple[tuple[str, int], object]] = {}
REMEMBERED_MAX = 256  # keys come from a short list (sites, editions); a bound all the same


def remembered(key: str, build):
    """`build()`, kept in this worker's memory until the next content change: for what is
    built from the stories themselves and read by many requests (search's vocabulary)."""
    return _remember(key, build, ("g", generation()))


def framed(key: str, build):
    """`build()`, kept in this worker's memory until the frame changes (FRAME_KEY): for the
    few small rows every page reads (the site, the paper's masthead, the sections) and that
    publishing a story leaves alone — the first reader of a breaking story does not wait
    for them to be read again."""
    return _remember(key, build, ("f", frame()))


def _remember(key: str, build, current: tuple[str, int]):
    found = _remembered.get(key)
    if found is not None and found[0] == current:
        return found[1]
    value = build()
    if len(_remembered) >= REMEMBERED_MAX:
        _remembered.clear()
    _remembered[key] = (current, value)
    return value


def forget_remembered() -> None:
    _remembered.clear()
    _kept.clear()


_kept = WorkerCopies(max_bytes=1 * MB)  # rails, menus, a story's comments, poll, related
KEPT_SECONDS = 30  # at most; and never longer than the shared copy's own timeout


def kept(key: str, build, timeout: int):
    """`build()`, shared in the cache under `key` for `timeout` seconds and kept in this
    worker's memory too (up to KEPT_SECONDS), so a page render does not wait on Redis for
    each of them. Only for keys that name what they hold (`versioned()` keys, a story's
    version): a change makes a new key rather than a new value. The value is shared between
    requests: callers must not modify it."""
    value = _kept.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, timeout)
        _kept.put(key, value, min(timeout, KEPT_SECONDS))
    return value


def kept_here(key: str, build):
    """`build()` kept in this worker's memory only (up to KEPT_SECONDS, within the same
    bound of bytes as `kept`), under a key that names what it holds (a `versioned()` key):
    for what a story page reads from the shared cache or the database on every view and a
    content change replaces (its comments, its poll, its related stories). The value is
    shared between requests: callers must not modify it."""
    found = _kept.get(key)
    if found is None:
        found = (build(),)  # None is a value too (a story without a poll)
        _kept.put(key, found, KEPT_SECONDS)
    return found[0]


def forget_kept(key: str) -> None:
    """Drop this worker's copy kept under `key` (a value that turned out not to be worth
    keeping: kept_here has no way to say so before it is built)."""
    _kept.discard(key)


def versioned(key: str) -> str:
    """A cache key that goes stale on the next content change."""
    return f"{key}:g{generation()}"


def frame_versioned(key: str) -> str:
    """A cache key that goes stale when the frame changes (`framed`)."""
    return f"{key}:f{frame()}"


PUBLIC_URLS_HOOK = "toasoan_public_urls"
FRONT_CACHE_HOOK = "toasoan_front_cache"


def front_caches() -> list:
    """The front caches to purge that are configured (none in `make run`)."""
    return [front for front in hooks.get_hooks(FRONT_CACHE_HOOK) if front.enabled()]


def _address(page: Page) -> str | None:
    parts = page.get_url_parts()
    if not parts or parts[2] is None:
        return None
    return parts[1] + parts[2]


def public_urls(page: Page) -> set[str]:
    """Every public URL that may show `page`: its own, its ancestors' (sections, the edition
    home) and what the content apps add for them (PUBLIC_URLS_HOOK)."""
    page = page.specific_deferred
    own = _address(page)
    if own is None:
        return set()
    urls = {own}
    with translation.override(page.locale.language_code):
        chain = [*page.get_ancestors().filter(depth__gt=1).specific(), page]
        urls.update(filter(None, map(_address, chain)))
        for more in hooks.get_hooks(PUBLIC_URLS_HOOK):
            urls.update(more(page, chain))
    return urls


def path_version_key(path: str) -> str:
    """Where the version of one public path is kept (the page cache reads it with the copy)."""
    return f"{PATH_VERSION_PREFIX}:{hashlib.sha256(path.encode()).hexdigest()[:32]}"


def _raise(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # never raised yet (or evicted): a number above any in use
        cache.set(key, _fresh_number(), timeout=None)


def _paths_changed(paths: set[str]) -> None:
    for path in sorted(paths):
        _raise(path_version_key(path))
    _raise(LOCAL_CHANGES_KEY)
    forget_trusted()  # this worker drops its own copies at once


def _committed(fronts: list, urls: list[str]) -> None:
    """Once a change is committed: readers go to the primary for a moment (replica lag, see
    toasoan.core.routing) and the front caches purge its addresses."""
    if settings.DATABASE_REPLICA_LAG_SECONDS:
        cache.set(JUST_CHANGED_KEY, 1, timeout=settings.DATABASE_REPLICA_LAG_SECONDS)
    for front in fronts:
        front.enqueue(urls)


def page_changed(page: Page) -> None:
    """Only what `page` shows on its own address changed (a live blog's entries): the copies
    of that address — every `?page=` of it — go stale in the page cache and are purged from
    the front caches, now and after the commit (as content_changed). No new generation:
    every other page, listing, feed, sitemap and rail stays cached."""
    own = _address(page.specific_deferred)
    if own is None:
        return
    paths = {urlsplit(own).path}
    _paths_changed(paths)
    fronts = front_caches()

    def after_commit() -> None:
        _paths_changed(paths)
        _committed(fronts, [own])

    transaction.on_commit(after_commit)


@task(priority=READERS_WAITING)
def purge_changed(page_ids: list[int], urls: list[str]) -> None:
    """In the task worker: the public URLs of the changed pages, worked out here and not in
    the request that changed them (its ancestors, feeds, sitemaps: queries and URL
    building an editor's click need not wait for), and their purge from the front caches."""
    from wagtail.models import Page

    to_purge = set(urls)
    for page in Page.objects.filter(pk__in=page_ids):
        to_purge.update(public_urls(page))
    for front in front_caches():
        front.purge(sorted(to_purge))


def content_changed(pages: Iterable = (), urls: Iterable[str] = (), frame: bool = False) -> None:
    """Pages (or just URLs) changed: bump the generation now and after commit, then purge.
    `pages` may be a lazy queryset: it is read only when a front cache is configured. With a
    task worker the changed pages' addresses are worked out there too (`purge_changed`):
    publishing queues one task and waits for no URL. `frame`: what frames every page changed
    too (a section, a site, the masthead: `framed`), not only stories."""
    if frame:
        _raise(FRAME_KEY)
    bump()
    to_purge = set(urls)
    fronts = front_caches()
    queued = bool(fronts) and runs_in_worker()
    page_ids = [page.pk for page in pages] if queued else []
    if fronts and not queued:
        for page in pages:
            to_purge.update(public_urls(page))

    def after_commit() -> None:
        if frame:
            _raise(FRAME_KEY)
        bump()
        if queued:
            _committed([], [])
            purge_changed.enqueue(page_ids, sorted(to_purge))
        else:
            _committed(fronts, sorted(to_purge))

    transaction.on_commit(after_commit)
