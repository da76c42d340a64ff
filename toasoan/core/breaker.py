"""A circuit breaker: stop asking a server that failed or answered slowly, for a while.

A hung Redis (a frozen VM, dropped packets) costs every call its full socket timeout, and a
page makes dozens of calls: without a breaker each reader waits seconds and the log fills
with a traceback per call. With one, the first failure (or an answer slower than `slow`
seconds) opens the breaker: for `pause` seconds — 1 s, then doubling up to 4 s while the
server stays away — every call is skipped at once and the caller serves from what it has
(this worker's copies, the database, an uncached render). When the pause ends one call is
let through as a probe; its success closes the breaker.

The log gets one warning when the server becomes unavailable and one when it returns, with
how long it was away and how many calls were skipped — never a line per call.

`redis` guards the cache, sessions, counters and the content generation (`GuardedRedisCache`,
the cache backend settings.py configures for REDIS_URL) and the readership tally;
`database` only watches PostgreSQL for the log (the 503 page, frontpage/errors.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

log = logging.getLogger("toasoan.outage")


class Breaker:
    """Closed (calls go through) or open (calls skipped until `_until`, then one probe)."""

    def __init__(
        self, name: str, first_pause: float = 1.0, max_pause: float = 4.0, slow: float = 0.3
    ):
        self.name, self.first_pause, self.max_pause, self.slow = name, first_pause, max_pause, slow
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.open = False
        self.since = 0.0  # when it opened (monotonic)
        self.pause = self.first_pause
        self.until = 0.0  # calls skipped until then
        self.probing = False
        self.skipped = self.failures = 0

    def allows(self) -> bool:
        """Whether a call may go to the server now (closed, or this call is the probe)."""
        if not self.open:
            return True
        with self.lock:
            if not self.open:
                return True
            now = time.monotonic()
            if now >= self.until and not self.probing:
                self.probing = True
                return True
            self.skipped += 1
            return False

    def succeeded(self, seconds: float = 0.0) -> None:
        if seconds > self.slow:
            self.failed(f"trả lời chậm {seconds:.2f} s")
            return
        if not self.open:
            return
        with self.lock:
            if not self.open:
                return
            away = time.monotonic() - self.since
            skipped, failures = self.skipped, self.failures
            self.reset()
        log.warning(
            "%s đã trở lại sau %.1f s (%d lần gọi bỏ qua, %d lần lỗi)",
            self.name,
            away,
            skipped,
            failures,
        )

    def failed(self, why: object = "") -> None:
        with self.lock:
            now = time.monotonic()
            self.failures += 1
            if self.open:
                if self.probing:  # the probe failed: wait longer
                    self.pause = min(self.pause * 2, self.max_pause)
                    self.probing = False
                self.until = now + self.pause
                return
            self.open, self.since, self.until = True, now, now + self.pause
        log.warning(
            "%s không dùng được (%s): tạm ngừng gọi, phục vụ từ bản sẵn có; thử lại sau %.0f s",
            self.name,
            str(why)[:200] or "lỗi",
            self.pause,
        )

    def call(self, function: Callable[..., Any], *args, **kwargs) -> Any:
        """`function(*args, **kwargs)` timed and recorded; raises `Unavailable` while open."""
        if not self.allows():
            raise Unavailable(self.name)
        started = time.monotonic()
        try:
            result = function(*args, **kwargs)
        except Exception as error:
            self.failed(error.__cause__ or error)
            raise
        self.succeeded(time.monotonic() - started)
        return result


class Unavailable(Exception):
    """The breaker is open: the call was not made."""


redis = Breaker("Redis")
database = Breaker("PostgreSQL")


def database_unreachable(error: BaseException | None) -> bool:
    """Whether `error` says the database cannot be reached (not a bad query); recorded on the
    `database` breaker, which a new connection closes again (`database_connected`)."""
    from django.db import InterfaceError, OperationalError

    if not isinstance(error, OperationalError | InterfaceError):
        return False
    database.failed(error)
    return True


def database_connected(**kwargs) -> None:
    """connection_created: PostgreSQL answers again (a no-op while nothing failed)."""
    database.succeeded()


class _GuardedClient:
    """django-redis's client with every call through the `redis` breaker. A skipped call
    raises ConnectionInterrupted, which the cache (IGNORE_EXCEPTIONS) turns into a miss."""

    def __init__(self, client):
        self._client = client

    def __getattr__(self, name: str):
        attribute = getattr(self._client, name)
        if not callable(attribute) or name.startswith("_"):
            return attribute

        def guarded(*args, **kwargs):
            if not redis.allows():
                raise ConnectionInterrupted(connection=None) from Unavailable(redis.name)
            started = time.monotonic()
            try:
                result = attribute(*args, **kwargs)
            except ConnectionInterrupted as error:
                redis.failed(error.__cause__ or error)
                raise
            redis.succeeded(time.monotonic() - started)
            return result

        return guarded


class GuardedRedisCache(RedisCache):
    """The Redis cache backend behind the `redis` breaker (settings.CACHES with REDIS_URL)."""

    @property
    def client(self):
        if self._client is None:
            self._client = _GuardedClient(self._client_cls(self._server, self._params, self))
        return self._client
