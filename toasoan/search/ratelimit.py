"""A per-client limit on searches, counted in the cache (Redis in production).

A fixed window per client address: cheap (one `incr`), shared by every worker when the
cache is Redis, and it forgets a client as soon as its window ends.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from toasoan.core.clients import client_address

DEFAULT_RATE = (30, 60)  # searches per window, window in seconds


def rate() -> tuple[int, int]:
    return getattr(settings, "SEARCH_RATE_LIMIT", DEFAULT_RATE)


def client_key(request) -> str:
    """The reader's address, hashed (toasoan.core.clients: the one behind nginx)."""
    address = client_address(request) or "unknown"
    return hashlib.sha256(address.encode()).hexdigest()[:24]


def allow(request) -> tuple[bool, int]:
    """Count this search; returns (allowed, seconds until the window ends)."""
    limit, window = rate()
    if not limit:
        return True, 0
    now = int(time.time())
    window_start = now - now % window
    key = f"search:rate:{client_key(request)}:{window_start}"
    if cache.add(key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 1)
            count = 1
    if count is None:  # the cache (Redis) is unreachable: serve rather than refuse everyone
        return True, 0
    return count <= limit, window_start + window - now
