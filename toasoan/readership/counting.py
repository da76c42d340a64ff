"""Counting readers and ranking the most read stories.

A view counts once per visitor per story per 30 minutes. Each counted view, and each later
report of the engaged time and scroll depth of a view, becomes a `ReadEvent`:

- with Redis (REDIS_URL): one pipelined round trip sets the "seen" marks (30 minutes; this
  story today; the paper today), a second appends a counted view's event to a Redis list;
  `flush()` moves the list into the database in batches (at most once a minute from the
  beacons, from the timer or `make run`'s scheduler, and before every dashboard or report;
  never from a reader's page);
- without Redis, or while Redis is unreachable (the breaker is open), the event is written
  to the database at once; repeat views are then filtered by the local cache only (the
  "seen" marks are in Redis), as the most-read rail always degraded.

`flush()` then claims the unclaimed events as one numbered batch and adds them to the
rollups (models.py). Events are deleted after 48 hours, with the salts of their hashes.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from toasoan.core import breaker
from toasoan.newsroom.models import ArticlePage

from . import visitors
from .models import (
    DIMENSIONS,
    TOTAL,
    DayBreakdown,
    HourlyViews,
    ReadEvent,
    RollupMark,
    StoryBreakdown,
    StoryDay,
)

log = logging.getLogger(__name__)

REPEAT_WINDOW = 30 * 60
DAY_MARK = 26 * 60 * 60  # "already counted today" marks outlive the day a little
FLUSH_EVERY = 60
PULL_AT_MOST = 50_000  # events moved from Redis per flush
KEEP_EVENTS = timedelta(hours=48)
RAIL_TTL = 5 * 60
RAIL_SIZE = 5
WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
ABROAD_EXCLUDES = ("VN", "")  # readers in Việt Nam, and addresses of no known country
MAX_SECONDS = 30 * 60  # engaged time one report may add
READ_THROUGH = 75  # % of the story scrolled through

FIELDS = [
    *("kind", "article_id", "section_id", "edition", "visitor", "country", "source", "host"),
    *("campaign", "device", "seconds", "depth", "engaged", "read_through"),
]


def current_hour(now: datetime | None = None) -> datetime:
    return (now or timezone.now()).replace(minute=0, second=0, microsecond=0)


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


def _prefix() -> str:
    return settings.CACHES["default"].get("KEY_PREFIX", "toasoan") + ":readership"


def events_key() -> str:
    return f"{_prefix()}:events"


def story_facts(article_id: int) -> tuple[int | None, str] | None:
    """(section id, edition language) of a published story, None if it is not published."""
    key = f"readership:story:{article_id}"
    facts = cache.get(key)
    if facts is None:
        story = (
            ArticlePage.objects.published()
            .filter(pk=article_id)
            .select_related("locale")
            .only("path", "depth", "locale__language_code")
            .first()
        )
        if story is None:
            facts = False
        else:
            parent = story.get_parent()
            facts = (parent.pk if parent else None, story.locale.language_code)
        cache.set(key, facts, 5 * 60)
    return facts or None


def _encode(event: dict) -> str:
    return "\t".join(
        [f"{event['at'].timestamp():.3f}"]
        + [str(event.get(name, "")).replace("\t", " ") for name in FIELDS]
    )


def _decode(line: bytes | str) -> ReadEvent:
    parts = (line.decode() if isinstance(line, bytes) else line).split("\t")
    at = datetime.fromtimestamp(float(parts[0]), tz=UTC)
    values = dict(zip(FIELDS, parts[1:], strict=False))
    flags = parts[1 + len(FIELDS) :] or ["0", "0"]
    return ReadEvent(
        at=at,
        hour=current_hour(at),
        day=visitors.local_day(at),
        kind=int(values["kind"]),
        article_id=int(values["article_id"]),
        section_id=int(values["section_id"]) if values["section_id"] not in ("", "None") else None,
        edition=values["edition"],
        visitor=values["visitor"],
        country=values["country"],
        source=values["source"],
        host=values["host"],
        campaign=values["campaign"],
        device=values["device"],
        seconds=int(values["seconds"] or 0),
        depth=int(values["depth"] or 0),
        engaged=values["engaged"] == "True",
        read_through=values["read_through"] == "True",
        new_reader=flags[0] == "1",
        new_visitor=flags[1] == "1",
    )


def _to_database(event: dict, new_reader: bool, new_visitor: bool) -> None:
    at = event["at"]
    ReadEvent.objects.create(
        hour=current_hour(at),
        day=visitors.local_day(at),
        new_reader=new_reader,
        new_visitor=new_visitor,
        **event,
    )


def _to_redis(event: dict, seen: str, reader: str, today: str) -> bool:
    """Set the three "seen" marks in one round trip; if the 30-minute one is new, append the
    event with the two "first today" flags (a second round trip)."""
    pipe = redis_client().pipeline(transaction=False)
    pipe.set(seen, 1, nx=True, ex=REPEAT_WINDOW)
    pipe.set(reader, 1, nx=True, ex=DAY_MARK)
    pipe.set(today, 1, nx=True, ex=DAY_MARK)
    first, new_reader, new_visitor = breaker.redis.call(pipe.execute)
    if not first:
        return False
    line = f"{_encode(event)}\t{int(bool(new_reader))}\t{int(bool(new_visitor))}"
    breaker.redis.call(redis_client().rpush, events_key(), line)
    return True


def record_view(request, article_id: int, referrer_url: str = "", query: str = "") -> bool:
    """Count one view of a published story, unless this visitor was counted on it in the
    last 30 minutes. The caller has already left out bots and readers refusing tracking."""
    facts = story_facts(article_id)
    if facts is None:
        return False
    now = timezone.now()
    day = visitors.local_day(now)
    visitor = visitors.visitor_hash(request, day)
    source, host, campaign = visitors.referrer(request, referrer_url, query)
    event = {
        "at": now,
        "kind": ReadEvent.VIEW,
        "article_id": article_id,
        "section_id": facts[0],
        "edition": facts[1],
        "visitor": visitor,
        "country": visitors.country_of(request),
        "source": source,
        "host": host,
        "campaign": campaign,
        "device": visitors.device_class(request),
    }
    seen = f"{_prefix()}:seen:{article_id}:{visitor}"
    reader = f"{_prefix()}:reader:{day:%Y%m%d}:{article_id}:{visitor}"
    today = f"{_prefix()}:visitor:{day:%Y%m%d}:{visitor}"
    if settings.REDIS_URL:
        from redis.exceptions import RedisError

        try:
            counted = _to_redis(event, seen, reader, today)
        except (RedisError, breaker.Unavailable):  # as without Redis (the breaker logs it once)
            counted = None
        if counted is not None:
            if counted and cache.add("readership:flush-lock", 1, FLUSH_EVERY):
                flush()
            return bool(counted)
    first = cache.add(seen, 1, REPEAT_WINDOW)
    if first is False:  # None: the cache is unreachable (Redis down), so count it anyway
        return False
    _to_database(
        event,
        cache.add(reader, 1, DAY_MARK) is not False,
        cache.add(today, 1, DAY_MARK) is not False,
    )
    return True


def record_engagement(
    article_id: int, seconds: int, depth: int, engaged: bool, read_through: bool
) -> bool:
    """Add a view's engaged time and scroll depth (reported when the reader leaves or pauses)."""
    facts = story_facts(article_id)
    seconds, depth = max(0, min(seconds, MAX_SECONDS)), max(0, min(depth, 100))
    if facts is None or not (seconds or depth or engaged or read_through):
        return False
    event = {
        "at": timezone.now(),
        "kind": ReadEvent.ENGAGE,
        "article_id": article_id,
        "section_id": facts[0],
        "edition": facts[1],
        "seconds": seconds,
        "depth": depth,
        "engaged": engaged,
        "read_through": read_through,
    }
    if settings.REDIS_URL:
        from redis.exceptions import RedisError

        try:
            breaker.redis.call(redis_client().rpush, events_key(), _encode(event) + "\t0\t0")
            return True
        except (RedisError, breaker.Unavailable):
            pass
    _to_database(event, False, False)
    return True


# --- From events to rollups ------------------------------------------------------------


def _pull_from_redis() -> list[bytes]:
    client = redis_client()
    pipe = client.pipeline(transaction=True)
    pipe.lrange(events_key(), 0, PULL_AT_MOST - 1)
    pipe.ltrim(events_key(), PULL_AT_MOST, -1)
    lines, _ = breaker.redis.call(pipe.execute)
    return lines


def _push_back(lines: list[bytes]) -> None:
    from redis.exceptions import RedisError

    try:
        if lines:
            breaker.redis.call(redis_client().lpush, events_key(), *reversed(lines))
    except (RedisError, breaker.Unavailable):
        log.error("lost %d reading events: Redis went away during a flush", len(lines))


def flush() -> int:
    """Move buffered events to the database and add the unclaimed ones to the rollups.
    Returns how many events were rolled up. Never raises (a page may call it)."""
    from redis.exceptions import RedisError

    lines: list[bytes] = []
    try:
        with transaction.atomic():
            mark = RollupMark.objects.select_for_update().filter(pk=1).first()
            if mark is None:
                mark, _ = RollupMark.objects.get_or_create(pk=1)
            if settings.REDIS_URL:
                try:
                    lines = _pull_from_redis()
                except (RedisError, breaker.Unavailable):
                    lines = []
                ReadEvent.objects.bulk_create([_decode(line) for line in lines], batch_size=2000)
            rolled = rollup(mark)
    except Exception:  # a failed flush never breaks a page; pulled events go back to Redis
        _push_back(lines)
        log.exception("could not roll up reading events")
        return 0
    if cache.add("readership:forget-lock", 1, 10 * 60):
        forget_old_events()
    return rolled


def forget_old_events(now: datetime | None = None) -> int:
    """Delete events and salts older than 48 hours (the rollups keep only sums)."""
    cutoff = (now or timezone.now()) - KEEP_EVENTS
    deleted = ReadEvent.objects.filter(at__lt=cutoff).delete()[0]
    visitors.forget_old_salts(now)
    return deleted


def _add_counts(model, keys: tuple[str, ...], rows: dict[tuple, dict], **narrow) -> None:
    """Add `rows` ({key values: {field: amount}}) to the model's counters (creating rows)."""
    if not rows:
        return
    existing = {tuple(getattr(obj, k) for k in keys): obj for obj in model.objects.filter(**narrow)}
    changed, created, fields = [], [], set()
    for key, amounts in rows.items():
        obj = existing.get(key)
        if obj is None:
            created.append(model(**dict(zip(keys, key, strict=True)), **amounts))
            continue
        for field, amount in amounts.items():
            if isinstance(amount, int) and not isinstance(amount, bool):
                setattr(obj, field, getattr(obj, field) + amount)
                fields.add(field)
        changed.append(obj)
    if changed:
        model.objects.bulk_update(changed, sorted(fields), batch_size=1000)
    model.objects.bulk_create(created, batch_size=1000)


def _views(events, *group):
    return (
        events.filter(kind=ReadEvent.VIEW)
        .values(*group)
        .annotate(
            n=Count("id"),
            readers=Count("id", filter=Q(new_reader=True)),
            visits=Count("id", filter=Q(new_visitor=True)),
            abroad=Count("id", filter=~Q(country__in=ABROAD_EXCLUDES)),
            abroad_readers=Count("id", filter=~Q(country__in=ABROAD_EXCLUDES) & Q(new_reader=True)),
        )
    )


def _engagement(events, *group):
    return (
        events.filter(kind=ReadEvent.ENGAGE)
        .values(*group)
        .annotate(
            secs=Sum("seconds"),
            engaged_n=Count("id", filter=Q(engaged=True)),
            depth_sum=Sum("depth"),
            read_n=Count("id", filter=Q(read_through=True)),
        )
    )


def rollup(mark: RollupMark) -> int:
    """Claim the unclaimed events as batch `mark.last_batch + 1` and add them to the rollups
    (call inside a transaction holding the mark row)."""
    batch = mark.last_batch + 1
    claimed = ReadEvent.objects.filter(batch__isnull=True).update(batch=batch)
    if not claimed:
        return 0
    mark.last_batch = batch
    mark.save(update_fields=["last_batch"])
    events = ReadEvent.objects.filter(batch=batch)
    article_ids = set(events.values_list("article_id", flat=True).distinct())
    known = set(ArticlePage.objects.filter(pk__in=article_ids).values_list("pk", flat=True))
    events = events.filter(article_id__in=known)
    days = set(events.values_list("day", flat=True).distinct())

    hourly = {
        (r["article_id"], r["hour"]): {"views": r["n"]}
        for r in _views(events, "article_id", "hour")
    }
    hours = {hour for _, hour in hourly}
    _add_counts(HourlyViews, ("article_id", "hour"), hourly, hour__in=hours, article_id__in=known)

    story_days: dict[tuple, dict] = defaultdict(dict)
    for r in _views(events, "day", "article_id", "section_id", "edition"):
        story_days[(r["day"], r["article_id"])].update(
            section_id=r["section_id"],
            edition=r["edition"],
            views=r["n"],
            visitors=r["readers"],
            abroad_views=r["abroad"],
            abroad_visitors=r["abroad_readers"],
        )
    for r in _engagement(events, "day", "article_id", "section_id", "edition"):
        story_days[(r["day"], r["article_id"])].update(
            section_id=r["section_id"],
            edition=r["edition"],
            engaged_seconds=r["secs"] or 0,
            engaged_views=r["engaged_n"],
            depth=r["depth_sum"] or 0,
            read_through=r["read_n"],
        )
    _add_counts(StoryDay, ("day", "article_id"), story_days, day__in=days, article_id__in=known)

    by_story: dict[tuple, dict] = {}
    by_day: dict[tuple, dict] = defaultdict(dict)
    for dimension in DIMENSIONS:
        for r in _views(events, "day", "article_id", dimension):
            key = (r["day"], r["article_id"], dimension, r[dimension])
            by_story[key] = {"views": r["n"], "visitors": r["readers"]}
        for r in _views(events, "day", "section_id", "edition", dimension):
            key = (r["day"], r["section_id"], r["edition"], dimension, r[dimension])
            by_day[key] = {"views": r["n"], "visitors": r["visits"]}
    for r in _views(events, "day", "section_id", "edition"):
        by_day[(r["day"], r["section_id"], r["edition"], TOTAL, "")].update(
            views=r["n"], visitors=r["visits"]
        )
    for r in _engagement(events, "day", "section_id", "edition"):
        by_day[(r["day"], r["section_id"], r["edition"], TOTAL, "")].update(
            engaged_seconds=r["secs"] or 0
        )
    _add_counts(
        StoryBreakdown,
        ("day", "article_id", "dimension", "value"),
        by_story,
        day__in=days,
        article_id__in=known,
    )
    _add_counts(
        DayBreakdown, ("day", "section_id", "edition", "dimension", "value"), by_day, day__in=days
    )
    return claimed


# --- Reading the rollups ---------------------------------------------------------------


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
    """Both "Đọc nhiều" lists for a page, cached for five minutes. Read from the rollup as it
    stands: a reader's page never runs the rollup (a write, which would also send the rest of
    the request to the primary database); the beacons, the timer and the dashboard do."""
    key = f"readership:rails:{scope_path}"
    data = cache.get(key)
    if data is None:
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
