"""Who is asking, and how often they may: optional API keys and a fixed-window rate limit.

A request without a key is anonymous and limited per client address (`API_ANON_RATE` a
minute); a request with a valid key gets its ApiClient's own limit; an unknown or disabled
key is refused with 401 rather than silently treated as anonymous, so a partner notices.
Counting is one `incr` in the cache (Redis in production, shared by every worker).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from ninja.security import APIKeyHeader, APIKeyQuery
from ninja.throttling import BaseThrottle

from toasoan.core import ratelimit
from toasoan.core.clients import address_key

from .errors import ApiError
from .models import CACHE_SECONDS, ApiClient, cache_key

WINDOW = 60  # seconds
_MISSING = "missing"


@dataclass(frozen=True)
class Client:
    """The caller as the rate limit sees it (never serialised into a response)."""

    ident: str
    rate: int  # requests per WINDOW; 0 = unlimited
    client_id: int | None = None


def client_for_key(key: str) -> Client | None:
    """The active ApiClient for a key (cached a minute), or None."""
    cached = cache.get(cache_key(key))
    if cached is None:
        row = (
            ApiClient.objects.filter(key=key, is_active=True)
            .values_list("pk", "requests_per_minute")
            .first()
        )
        cached = row or _MISSING
        cache.set(cache_key(key), cached, CACHE_SECONDS)
    if cached == _MISSING:
        return None
    pk, rate = cached
    return Client(ident=f"key:{pk}", rate=rate, client_id=pk)


def _refuse() -> ApiError:
    return ApiError(
        401,
        "invalid_api_key",
        "Khoá API không đúng hoặc đã bị tắt. Bỏ khoá đi để dùng mức truy cập công cộng.",
        "The API key is unknown or disabled. Leave it out to use the public rate limit.",
    )


def _known_client(key: str | None) -> Client | None:
    """None when no key was sent (the next way of identifying is tried); 401 when unknown."""
    if not key:
        return None
    if len(key) > 100 or not key.isprintable():  # never worth a database query
        raise _refuse()
    client = client_for_key(key)
    if client is None:
        raise _refuse()
    return client


class ApiKeyHeader(APIKeyHeader):
    """`X-Api-Key: …` (optional)."""

    param_name = "X-Api-Key"

    def authenticate(self, request, key):
        return _known_client(key)


class ApiKeyQuery(APIKeyQuery):
    """`?api_key=…` (optional; the header is preferred: query strings end up in logs)."""

    param_name = "api_key"

    def authenticate(self, request, key):
        return _known_client(key)


def anonymous(request) -> Client:
    """No key: limited per client address (hashed; addresses are never stored)."""
    return Client(ident=f"ip:{address_key(request)}", rate=settings.API_ANON_RATE)


class ClientRateThrottle(BaseThrottle):
    """A fixed one-minute window per client; remembers the numbers for the response headers."""

    _local = threading.local()

    def allow_request(self, request) -> bool:
        client = getattr(request, "auth", None)
        if not isinstance(client, Client):
            client = anonymous(request)
        if not client.rate:
            return True
        hits, self._local.wait = ratelimit.count("api", client.ident, WINDOW)
        if hits is None:  # the cache (Redis) is unreachable: serve rather than refuse everyone
            hits = 1
        request.api_rate = (client.rate, max(client.rate - hits, 0))
        return hits <= client.rate

    def wait(self) -> float | None:
        return getattr(self._local, "wait", WINDOW)
