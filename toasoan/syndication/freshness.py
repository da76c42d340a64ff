"""Cached feeds, sitemaps and page metadata that go stale the moment anything is published.

Every cache key carries the content *generation* (toasoan.core.changes); publishing,
unpublishing, moving or deleting a story bumps it, so all cached copies are dropped at once,
on every worker sharing the cache (Redis in production), without knowing which keys exist.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.core.cache import cache
from django.http import HttpResponse

from toasoan.core.changes import versioned
from toasoan.core.text import without_controls

FEED_TIMEOUT = 5 * 60
SITEMAP_TIMEOUT = 60 * 60
_KEPT_HEADERS = ("Content-Type", "X-Robots-Tag", "Last-Modified")


def xml_safe(text) -> str:
    """Text XML 1.0 accepts: control characters (which it forbids) become spaces."""
    return without_controls(str(text or ""))


def key(*parts) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return versioned(f"syndication:{digest}")


def cached_response(timeout: int) -> Callable:
    """Cache a view's successful response per host, path and query, until the next publish."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            cache_key = key("response", request.scheme, request.get_host(), request.get_full_path())
            hit = cache.get(cache_key)
            if hit is not None:
                content, headers = hit
                return HttpResponse(content, headers=headers)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200:
                headers = {h: response[h] for h in _KEPT_HEADERS if h in response}
                cache.set(cache_key, (response.content, headers), timeout)
            return response

        return wrapper

    return decorator
