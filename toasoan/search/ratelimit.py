"""A per-client limit on searches, counted in the cache (Redis in production).

A fixed window per client address: cheap (one `incr`), shared by every worker when the
cache is Redis, and it forgets a client as soon as its window ends.
"""

from django.conf import settings
from django.shortcuts import render

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


def refused(request, template: str, context: dict, retry_after: int):
    """The page a reader over the limit gets: 429, the wait in Retry-After and in the page."""
    context = {**context, "rate_limited": True, "retry_after": retry_after}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
