"""Counting views and ranking the most read stories.

A view counts once per visitor per story per 30 minutes (the "seen" mark lives in the
cache). Counted views go to a tally: `RedisTally` when REDIS_URL is set (HINCRBY into one
hash, flushed to the database in batches, at most once a minute or when a ranking is
computed), `DatabaseTally` otherwise (one UPDATE per counted view).

While Redis is unreachable, counting degrades instead of failing: views go straight to the
database as without Redis, and repeat views are not filtered (the "seen" marks are in Redis).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from toasoan.core import breaker
from toasoan.newsroom.models import ArticlePage

from .models import HourlyViews

log = logging.getLogger(__name__)

REPEAT_WINDOW = 30 * 60
FLUSH_EVERY = 60
RAIL_TTL = 5 * 60
RAIL_SIZE = 5
WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}


def current_hour(now: datetime | None = None) -> datetime:
    return (now or timezone.now()).replace(minute=0, second=0, microsecond=0)


class DatabaseTally:
    """Without Redis: add each counted view to its hourly row right away."""

    def add(self, article_id: int, hour: datetime, views: int = 1) -> None:
        add_to_database({(article_id, hour): views})

    def flush(self) -> int:
        return 0


class RedisTally:
    """With Redis: HINCRBY per view; `flush()` moves the sums to the database atomically."""

    def __init__(self, client, prefix: str):
        self.client = client
        self.key = f"{prefix}:readership:pending"

    def add(self, article_id: int, hour: datetime, views: int = 1) -> None:
        from redis.exceptions import RedisError

        field = f"{article_id}:{int(hour.timestamp())}"
        try:
            breaker.redis.call(self.client.hincrby, self.key, field, views)
        except (RedisError, breaker.Unavailable):  # count in the database, as without Redis
            add_to_database({(article_id, hour): views})  # (the breaker logs the outage once)

    def flush(self) -> int:
        pipe = self.client.pipeline(transaction=True)
        pipe.hgetall(self.key)
        pipe.delete(self.key)
        pending, _ = breaker.redis.call(pipe.execute)
        counts: dict[tuple[int, datetime], int] = {}
        for field, value in pending.items():
            article, stamp = (field.decode() if isinstance(field, bytes) else field).split(":")
            hour = datetime.fromtimestamp(int(stamp), tz=UTC)
            counts[(int(article), hour)] = int(value)
        try:
            add_to_database(counts)
        except Exception:
            for (article, hour), views in counts.items():  # keep them for the next flush
                self.add(article, hour, views)
            raise
        return sum(counts.values())


def add_to_database(counts: dict[tuple[int, datetime], int]) -> None:
    live = set(
        ArticlePage.objects.filter(pk__in={a for a, _ in counts}).values_list("pk", flat=True)
    )
    for (article_id, hour), views in counts.items():
        if article_id not in live or views <= 0:
            continue
        with transaction.atomic():
            updated = HourlyViews.objects.filter(article_id=article_id, hour=hour).update(
                views=F("views") + views
            )
            if not updated:
                try:
                    with transaction.atomic():
                        HourlyViews.objects.create(article_id=article_id, hour=hour, views=views)
                except IntegrityError:  # another request created the row meanwhile
                    HourlyViews.objects.filter(article_id=article_id, hour=hour).update(
                        views=F("views") + views
                    )


_redis_client = None


def redis_client():
    global _redis_client
    if _redis_client is None:
        import redis

        options = settings.CACHES["default"].get("OPTIONS", {})
        _redis_client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=options.get("SOCKET_CONNECT_TIMEOUT", 0.5),
            socket_timeout=options.get("SOCKET_TIMEOUT", 0.5),
        )
    return _redis_client


def tally() -> DatabaseTally | RedisTally:
    if settings.REDIS_URL:
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "toasoan")
        return RedisTally(redis_client(), prefix)
    return DatabaseTally()


def is_live(article_id: int) -> bool:
    key = f"readership:live:{article_id}"
    live = cache.get(key)
    if live is None:
        live = ArticlePage.objects.published().filter(pk=article_id).exists()
        cache.set(key, live, 5 * 60)
    return live


def record_view(article_id: int, visitor: str, now: datetime | None = None) -> bool:
    """Count one view unless this visitor was counted on this story in the last 30 minutes."""
    if not is_live(article_id):
        return False
    first = cache.add(f"readership:seen:{article_id}:{visitor}", 1, REPEAT_WINDOW)
    if first is False:  # None: the cache is unreachable (Redis down), so count it anyway
        return False
    counter = tally()
    counter.add(article_id, current_hour(now))
    if isinstance(counter, RedisTally) and cache.add("readership:flush-lock", 1, FLUSH_EVERY):
        flush()
    return True


def flush() -> int:
    """Write the views summed in Redis to the database (nothing to do without Redis)."""
    from redis.exceptions import RedisError

    try:
        return tally().flush()
    except (RedisError, breaker.Unavailable):  # the breaker logs the outage once
        return 0
    except Exception:  # a failed flush must never break a page; the sums stay in Redis
        log.exception("could not flush view counts")
        return 0


def views_since(since: datetime, article_ids=None) -> Counter:
    rows = HourlyViews.objects.filter(hour__gte=current_hour(since))
    if article_ids is not None:
        rows = rows.filter(article_id__in=article_ids)
    return Counter(
        dict(
            rows.values("article_id")
            .annotate(total=Sum("views"))
            .values_list("article_id", "total")
        )
    )


def most_read(scope_path: str, window: str, limit: int = RAIL_SIZE) -> list[ArticlePage]:
    """The most read live stories under a page (home or section) in the last 24 h or 7 days."""
    since = timezone.now() - WINDOWS[window]
    ranked = (
        HourlyViews.objects.filter(
            hour__gte=current_hour(since),
            article__path__startswith=scope_path,
            article__live=True,
        )
        .values("article_id")
        .annotate(total=Sum("views"))
        .order_by("-total", "-article_id")[:limit]
    )
    totals = {row["article_id"]: row["total"] for row in ranked}
    stories = {
        story.pk: story
        for story in ArticlePage.objects.published()
        .filter(pk__in=totals)
        .only("id", "title", "slug", "url_path", "path", "depth", "first_published_at")
    }
    result = []
    for article_id, total in totals.items():
        if article_id in stories:
            stories[article_id].views = total
            result.append(stories[article_id])
    return result


def rails(scope_path: str) -> dict[str, list[dict]]:
    """Both "Đọc nhiều" lists for a page, cached for five minutes."""
    key = f"readership:rails:{scope_path}"
    data = cache.get(key)
    if data is None:
        flush()
        data = {
            window: [
                {"title": s.title, "url": s.url, "views": s.views}
                for s in most_read(scope_path, window)
            ]
            for window in WINDOWS
        }
        cache.set(key, data, RAIL_TTL)
    return data


def totals_for(article_ids) -> dict[int, dict[str, int]]:
    """Views per story for staff: last 24 h, last 7 days and all time."""
    ids = list(article_ids)
    now = timezone.now()
    last_day = views_since(now - WINDOWS["24h"], ids)
    last_week = views_since(now - WINDOWS["7d"], ids)
    ever = Counter(
        dict(
            HourlyViews.objects.filter(article_id__in=ids)
            .values("article_id")
            .annotate(total=Sum("views"))
            .values_list("article_id", "total")
        )
    )
    return {i: {"24h": last_day[i], "7d": last_week[i], "total": ever[i]} for i in ids}
