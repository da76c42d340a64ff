"""A per-client limit on searches, counted in the cache (Redis in production).

A fixed window per client address: cheap (one `incr`), shared by every worker when the
cache is Redis, and it forgets a client as soon as its window ends.
"""

from django.conf import settings

from toasoan.core import ratelimit
from toasoan.core.clients import address_key


def rate() -> tuple[int, int]:
    """(searches, window in seconds): settings.SEARCH_RATE_LIMIT."""
    return settings.SEARCH_RATE_LIMIT


def allow(request) -> tuple[bool, int]:
    """Count this search; returns (allowed, seconds until the window ends)."""
    limit, window = rate()
    if not limit:
        return True, 0
    hits, seconds_left = ratelimit.count("search", address_key(request), window)
    if hits is None:  # the cache (Redis) is unreachable: serve rather than refuse everyone
        return True, 0
    return hits <= limit, seconds_left
