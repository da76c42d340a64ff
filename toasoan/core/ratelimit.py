"""Fixed-window request counting in the cache (Redis in production, shared by every worker):
one `add` or `incr` a request, forgotten as soon as the window ends. The search, API,
comment and poll limits count with it."""

import math
import time

from django.core.cache import cache


def _window(scope: str, ident: str, window: int) -> tuple[str, float, int]:
    now = time.time()
    start = int(now - now % window)
    return f"{scope}:rate:{ident}:{start}", now, start


def count(scope: str, ident: str, window: int) -> tuple[int | None, int]:
    """Count one request by `ident` in the current `window`-second window: how many it has
    made in it (None when the cache cannot count: callers then serve rather than refuse
    everyone) and the whole seconds until the window ends (at least 1)."""
    key, now, start = _window(scope, ident, window)
    if cache.add(key, 1, timeout=window + 1):
        hits = 1
    else:
        try:
            hits = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 1)
            hits = 1
    return hits, max(1, math.ceil(start + window - now))


def counted(scope: str, ident: str, window: int) -> int:
    """How many `ident` has made in the current window, without counting one: for limits
    that count only what succeeded (a stored comment, a vote), checked before the attempt."""
    key, _now, _start = _window(scope, ident, window)
    return cache.get(key) or 0
