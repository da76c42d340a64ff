"""Counting readers and ranking the most read stories.

A view counts once per visitor per story per 30 minutes. Each counted view, and each later
report of the engaged time and scroll depth of a view, becomes a `ReadEvent`:

- with Redis (REDIS_URL): one round trip per beacon (a small Lua script) counts it against
  the rate limit of its address (salted hash) and story, sets the "seen" marks (30 minutes;
  this story today; the paper today) and, if the 30-minute one is new, appends the event to
  a Redis list; `flush()` moves the list into the database in batches (from the timer or
  `make run`'s scheduler, at most once a minute from the beacons if neither ran, and before
  every dashboard or report; never from a reader's page);
- without Redis, or while Redis is unreachable (the breaker is open), the event is written
  to the database at once; repeat views are then filtered by the local cache only (the
  "seen" marks are in Redis), as the most-read rail always degraded.

`flush()` moves a batch of events from the Redis list to a "processing" list (atomically,
with a claim token), writes them and adds them to the rollups (models.py) in one database
transaction that also records the token, then drops the processing list. A flush that dies
half-way leaves its events in the processing list for the next flush, which knows from the
token whether they were written: no event is lost or counted twice, however many workers
flush. Events are deleted after 48 hours, with the salts of their hashes.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from toasoan.core import breaker
from toasoan.core.changes import kept_here, versioned
from toasoan.newsroom.models import ArticleByline, ArticlePage

from . import visitors
from .models import (
    DIMENSIONS,
    STORY_SUMS,
    TOTAL,
    DayBreakdown,
    HourlyViews,
    MonthBreakdown,
    PenDay,
    PenMonth,
    ReadEvent,
    RollupMark,
    StoryBreakdown,
    StoryDay,
    StoryMonth,
    month_of,
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
MAX_SECONDS = 120  # engaged time one report may add (the script reports every 15 s)
# Beacons counted per address (salted hash) and story in a 10-minute window: a reader sends
# one view beacon per visit and an engaged-time one every 15 s of reading; readers behind one
# carrier address (CGNAT) share these. Beyond them a beacon is answered but counts nothing.
RATE_WINDOW = 10 * 60
VIEW_LIMIT = 60
ENGAGE_LIMIT = 240
STORY_MEMO = 60  # seconds a worker trusts what it knows of a story (published, section)
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


_story_memo: dict[int, tuple[float, tuple | bool]] = {}


def forget_memos() -> None:
    """This worker's memory of stories and salts (tests: ids repeat after a rollback)."""
    _story_memo.clear()
    visitors._salts.clear()


def story_facts(article_id: int) -> tuple[int | None, str] | None:
    """(section id, edition language) of a published story, None if it is not published:
    from this worker's memory (a minute), else the shared cache (5 minutes), else the
    database."""
    now = time.monotonic()
    memo = _story_memo.get(article_id)
    if memo is not None and memo[0] > now:
        return memo[1] or None
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
    if len(_story_memo) > 20_000:  # beacons for ids that do not exist cannot fill memory
        _story_memo.clear()
    _story_memo[article_id] = (now + STORY_MEMO, facts)
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


# One round trip a beacon. KEYS: rate, events[, seen, reader, today]; ARGV: limit, window
# [, repeat window, day window], the event's line. Returns -1 (over the rate limit), 0 (a
# repeat view: not counted) or 1 (appended, a view with its two "first today" flags).
VIEW_SCRIPT = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if hits > tonumber(ARGV[1]) then return -1 end
if not redis.call('SET', KEYS[3], 1, 'NX', 'EX', ARGV[3]) then return 0 end
local reader = redis.call('SET', KEYS[4], 1, 'NX', 'EX', ARGV[4]) and 1 or 0
local today = redis.call('SET', KEYS[5], 1, 'NX', 'EX', ARGV[4]) and 1 or 0
redis.call('RPUSH', KEYS[2], ARGV[5] .. '\t' .. reader .. '\t' .. today)
return 1
"""
ENGAGE_SCRIPT = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if hits > tonumber(ARGV[1]) then return -1 end
redis.call('RPUSH', KEYS[2], ARGV[3])
return 1
"""
_scripts: dict[str, object] = {}


def _script(source: str):
    """The registered script (EVALSHA; redis-py loads it again if the server forgot it)."""
    client = redis_client()
    found = _scripts.get(source)
    if found is None or found.registered_client is not client:
        found = _scripts[source] = client.register_script(source)
    return found


def _rate_key(kind: str, reader: visitors.Reader, article_id: int, day) -> str:
    window = int(time.time()) // RATE_WINDOW
    return f"{_prefix()}:rate:{kind}:{article_id}:{visitors.address_hash(reader, day)}:{window}"


def _over_limit(kind: str, reader: visitors.Reader, article_id: int, day, limit: int) -> bool:
    """The rate limit without Redis (the local cache; none while the cache is away)."""
    from toasoan.core import ratelimit

    ident = f"{article_id}:{visitors.address_hash(reader, day)}"
    hits, _ = ratelimit.count(f"readership-{kind}", ident, RATE_WINDOW)
    return hits is not None and hits > limit


_next_flush = 0.0


def _flush_now_and_then() -> None:
    """Beacons roll up at most once a minute, and only if no timer, scheduler or dashboard
    did (asked of the cache at most once a minute per worker, not per beacon)."""
    global _next_flush
    now = time.monotonic()
    if now < _next_flush:
        return
    _next_flush = now + FLUSH_EVERY
    if cache.add("readership:flush-lock", 1, FLUSH_EVERY):
        flush()


def record_view(
    reader: visitors.Reader, article_id: int, referrer_url: str = "", query: str = ""
) -> bool:
    """Count one view of a published story, unless this visitor was counted on it in the
    last 30 minutes or its address is over the rate limit. The caller has already left out
    bots and readers refusing tracking."""
    facts = story_facts(article_id)
    if facts is None:
        return False
    now = timezone.now()
    day = visitors.local_day(now)
    visitor = visitors.visitor_hash(reader, day)
    source, host, campaign = visitors.referrer(reader, referrer_url, query)
    event = {
        "at": now,
        "kind": ReadEvent.VIEW,
        "article_id": article_id,
        "section_id": facts[0],
        "edition": facts[1],
        "visitor": visitor,
        "country": visitors.country_of(reader),
        "source": source,
        "host": host,
        "campaign": campaign,
        "device": visitors.device_class(reader),
    }
    seen = f"{_prefix()}:seen:{article_id}:{visitor}"
    first_read = f"{_prefix()}:reader:{day:%Y%m%d}:{article_id}:{visitor}"
    today = f"{_prefix()}:visitor:{day:%Y%m%d}:{visitor}"
    if settings.REDIS_URL:
        from redis.exceptions import RedisError

        keys = [_rate_key("v", reader, article_id, day), events_key(), seen, first_read, today]
        args = [VIEW_LIMIT, RATE_WINDOW, REPEAT_WINDOW, DAY_MARK, _encode(event)]
        try:
            counted = breaker.redis.call(_script(VIEW_SCRIPT), keys=keys, args=args)
        except (RedisError, breaker.Unavailable):  # as without Redis (the breaker logs it once)
            counted = None
        if counted is not None:
            if counted == 1:
                _flush_now_and_then()
            return counted == 1
    if _over_limit("v", reader, article_id, day, VIEW_LIMIT):
        return False
    first = cache.add(seen, 1, REPEAT_WINDOW)
    if first is False:  # None: the cache is unreachable (Redis down), so count it anyway
        return False
    _to_database(
        event,
        cache.add(first_read, 1, DAY_MARK) is not False,
        cache.add(today, 1, DAY_MARK) is not False,
    )
    return True


def record_engagement(
    reader: visitors.Reader,
    article_id: int,
    seconds: int,
    depth: int,
    engaged: bool,
    read_through: bool,
) -> bool:
    """Add a view's engaged time and scroll depth (reported when the reader leaves or pauses,
    and every 15 s of reading), within the rate limit of its address and story."""
    facts = story_facts(article_id)
    seconds, depth = max(0, min(seconds, MAX_SECONDS)), max(0, min(depth, 100))
    if facts is None or not (seconds or depth or engaged or read_through):
        return False
    now = timezone.now()
    day = visitors.local_day(now)
    event = {
        "at": now,
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

        keys = [_rate_key("e", reader, article_id, day), events_key()]
        args = [ENGAGE_LIMIT, RATE_WINDOW, _encode(event) + "\t0\t0"]
        try:
            return breaker.redis.call(_script(ENGAGE_SCRIPT), keys=keys, args=args) == 1
        except (RedisError, breaker.Unavailable):
            pass
    if _over_limit("e", reader, article_id, day, ENGAGE_LIMIT):
        return False
    _to_database(event, False, False)
    return True


# --- From events to rollups ------------------------------------------------------------


LIVE_PENDING = 5_000  # newest buffered events the live panel reads from Redis


def pending_views(since: datetime, limit: int = LIVE_PENDING) -> list[ReadEvent]:
    """Views still buffered in Redis (not yet written by a flush) since `since`, newest
    `limit` of them, read without taking them: the live panel is as fresh as the beacons
    while flushes stay with the timer and the beacons. Empty without Redis (the beacons
    then write to the database at once) or while it is away."""
    from redis.exceptions import RedisError

    if not settings.REDIS_URL:
        return []
    try:
        lines = breaker.redis.call(redis_client().lrange, events_key(), -limit, -1)
    except (RedisError, breaker.Unavailable):
        return []
    start = since.timestamp()
    views = []
    for line in lines:
        stamp, kind = line.split(b"\t", 2)[:2]
        if kind == b"1" and float(stamp) >= start:
            views.extend(_decoded([line]))
    return views


def processing_key() -> str:
    return f"{_prefix()}:events:processing"


def _token_key() -> str:
    return f"{_prefix()}:events:processing:token"


# KEYS: events, processing, token; ARGV: at most, a new token. Returns {token, lines}: what
# an earlier flush left in the processing list (with its token), else up to `at most` events
# moved there from the list the beacons fill, under the new token.
PULL_SCRIPT = """
local left = redis.call('LRANGE', KEYS[2], 0, -1)
if #left > 0 then
  local token = redis.call('GET', KEYS[3])
  if not token then token = ARGV[2] redis.call('SET', KEYS[3], token) end
  return {token, left}
end
local lines = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #lines == 0 then return {'', lines} end
redis.call('LTRIM', KEYS[1], #lines, -1)
for i = 1, #lines, 1000 do
  redis.call('RPUSH', KEYS[2], unpack(lines, i, math.min(i + 999, #lines)))
end
redis.call('SET', KEYS[3], ARGV[2])
return {ARGV[2], lines}
"""
# KEYS: processing, token; ARGV: the token of the events just written.
ACK_SCRIPT = """
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[1], KEYS[2]) return 1 end
return 0
"""


def _claim(mark: RollupMark) -> tuple[str, list[bytes]]:
    """The events this flush writes, and their claim token (see the module's docstring)."""
    for _ in range(2):
        token, lines = breaker.redis.call(
            _script(PULL_SCRIPT),
            keys=[events_key(), processing_key(), _token_key()],
            args=[PULL_AT_MOST, secrets.token_hex(8)],
        )
        token = token.decode() if isinstance(token, bytes) else str(token)
        if not (lines and token == mark.claim):
            return token, lines
        _ack(token)  # written by a flush that died before dropping them: drop them now
    return "", []


def _ack(token: str) -> None:
    """Drop the processing list once its events are written (if Redis is away now, the next
    flush drops it: the same token)."""
    from redis.exceptions import RedisError

    with contextlib.suppress(RedisError, breaker.Unavailable):
        breaker.redis.call(_script(ACK_SCRIPT), keys=[processing_key(), _token_key()], args=[token])


def _decoded(lines: list[bytes]):
    for line in lines:
        try:
            yield _decode(line)
        except (ValueError, KeyError, TypeError):  # one bad line never blocks the others
            log.warning("skipped a reading event that could not be read")


_flushing = threading.Lock()  # a worker's threads (make run: the scheduler and requests)


def flush() -> int:
    """Move buffered events to the database and add the unclaimed ones to the rollups.
    Returns how many events were rolled up. Never raises (a page may call it). Flushes take
    turns on the RollupMark row (and on a lock within a worker)."""
    from redis.exceptions import RedisError

    token = ""
    with _flushing:
        cache.set("readership:flush-lock", 1, FLUSH_EVERY)  # the beacons need not, for now
        try:
            with transaction.atomic():
                mark = RollupMark.objects.select_for_update().filter(pk=1).first()
                if mark is None:
                    mark, _ = RollupMark.objects.get_or_create(pk=1)
                if settings.REDIS_URL:
                    try:
                        token, lines = _claim(mark)
                    except (RedisError, breaker.Unavailable):
                        token, lines = "", []
                    if lines:
                        ReadEvent.objects.bulk_create(_decoded(lines), batch_size=2000)
                        mark.claim = token
                        mark.save(update_fields=["claim"])
                rolled = rollup(mark)
        except Exception:  # a failed flush never breaks a page; its events wait in Redis
            log.exception("could not roll up reading events")
            return 0
        if token:
            _ack(token)
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
            if field in STORY_SUMS:  # a counter; section and edition only describe the story
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


PAST_VERSION = "readership:past-version"


def rollups_changed() -> None:
    """Say that the rollups of past days changed (a late flush, a bulk load): what was
    computed from them and kept (reach.stats) is computed again."""
    cache.set(PAST_VERSION, secrets.token_hex(6), None)


def past_version() -> str:
    """A token that changes whenever the rollups of days before today change."""
    return cache.get_or_set(PAST_VERSION, lambda: secrets.token_hex(6), None) or "-"


def rollup_version() -> str:
    """A token that changes whenever any rollup changes (today's included)."""
    last = RollupMark.objects.filter(pk=1).values_list("last_batch", flat=True).first()
    return f"{past_version()}:{last or 0}"


def months_from_days() -> int:
    """Rebuild the monthly tables from the daily ones, and the pen names' sums from both
    (after rollups were loaded in bulk without them: the demo's history). Returns the rows
    written."""

    written = 0
    for daily, monthly, keys, described, sums in (
        # A story's month is one row: the section and edition that describe it are taken
        # from its days (the smallest section id: rows written before the fix of a second
        # flush of a day held multiples of it; a story moved within a month keeps one).
        (StoryDay, StoryMonth, ("article_id",), ("section_id", "edition"), STORY_SUMS),
        (
            DayBreakdown,
            MonthBreakdown,
            ("section_id", "edition", "dimension", "value"),
            (),
            ("views", "visitors", "engaged_seconds"),
        ),
    ):
        rows = (
            daily.objects.annotate(month=TruncMonth("day"))
            .values("month", *keys)
            .annotate(
                **{f"first_{field}": Min(field) for field in described},
                **{f"sum_{field}": Sum(field) for field in sums},
            )
            .order_by()
        )
        with transaction.atomic():
            monthly.objects.all().delete()
            made = monthly.objects.bulk_create(
                (
                    monthly(
                        month=r["month"],
                        **{k: r[k] for k in keys},
                        **{field: r[f"first_{field}"] for field in described},
                        **{field: r[f"sum_{field}"] or 0 for field in sums},
                    )
                    for r in rows.iterator()
                ),
                batch_size=2000,
            )
        written += len(made)
    return written + pens_from_stories()


def pens_from_stories(pen_ids: list[int] | None = None) -> int:
    """Rebuild PenDay and PenMonth (of these pen names, or of all) from the story rows and
    the bylines as they are now. Returns the rows written."""
    chosen, params = "", []
    if pen_ids is not None:
        chosen = f" WHERE pen_name_id IN ({', '.join(['%s'] * len(pen_ids)) or 'NULL'})"
        params = list(pen_ids)
    fields = ", ".join(STORY_SUMS)
    sums = ", ".join(f"SUM(s.{field})" for field in STORY_SUMS)
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for pens, stories, column in ((PenDay, StoryDay, "day"), (PenMonth, StoryMonth, "month")):
            old = pens.objects.all()
            (old if pen_ids is None else old.filter(pen_name_id__in=pen_ids)).delete()
            cursor.execute(
                f"INSERT INTO {pens._meta.db_table} ({column}, pen_name_id, {fields})"
                f" SELECT s.{column}, b.pen_name_id, {sums} FROM {stories._meta.db_table} AS s"
                f" JOIN (SELECT DISTINCT page_id, pen_name_id FROM"
                f" {ArticleByline._meta.db_table}{chosen}) AS b ON b.page_id = s.article_id"
                f" GROUP BY s.{column}, b.pen_name_id",
                params,
            )
            written += max(cursor.rowcount, 0)
    return written


def _by_pen(story_days: dict[tuple, dict]) -> dict[tuple, dict]:
    """{(day, article id): sums} as {(day, pen name id): sums} by the stories' bylines now
    (a story signed twice by one pen name counts once for it)."""
    signed = defaultdict(set)
    for page, pen in ArticleByline.objects.filter(
        page_id__in={article for _, article in story_days}
    ).values_list("page_id", "pen_name_id"):
        signed[page].add(pen)
    pens: dict[tuple, dict] = {}
    for (day, article), amounts in story_days.items():
        for pen in signed.get(article, ()):
            found = pens.setdefault((day, pen), {})
            for field, amount in amounts.items():
                if field in STORY_SUMS:
                    found[field] = found.get(field, 0) + amount
    return pens


_pens_to_rebuild: set[int] = set()


def byline_saving(sender, instance, raw=False, **_) -> None:
    """Before a byline is written: the pen name it had (see byline_saved)."""
    if not raw and instance.pk is not None:
        before = ArticleByline.objects.filter(pk=instance.pk).values_list("pen_name_id", flat=True)
        instance._pen_before = before.first()


def byline_saved(sender, instance, created=False, raw=False, **_) -> None:
    """A pen name that comes or goes on a story already read has its sums rebuilt once the
    change is committed (PenSums follow the bylines)."""
    if raw:
        return
    before = getattr(instance, "_pen_before", None)
    if created or before is None:
        if StoryDay.objects.filter(article_id=instance.page_id).exists():
            _rebuild_pens({instance.pen_name_id})
    elif before != instance.pen_name_id:
        _rebuild_pens({before, instance.pen_name_id})


def byline_deleted(sender, instance, **_) -> None:
    """A byline removed (or its story deleted, with its rows): its pen name's sums rebuilt."""
    _rebuild_pens({instance.pen_name_id})


def _rebuild_pens(pen_ids: set[int]) -> None:
    _pens_to_rebuild.update(pen_ids)

    def rebuild() -> None:
        if _pens_to_rebuild:
            pens = sorted(_pens_to_rebuild)
            _pens_to_rebuild.clear()
            pens_from_stories(pens)
            rollups_changed()

    transaction.on_commit(rebuild)


def _by_month(rows: dict[tuple, dict], at: int) -> dict[tuple, dict]:
    """Rows keyed by a day (at position `at` of the key) summed per calendar month."""
    months: dict[tuple, dict] = {}
    for key, amounts in rows.items():
        month_key = (*key[:at], month_of(key[at]), *key[at + 1 :])
        found = months.setdefault(month_key, {})
        for field, amount in amounts.items():
            found[field] = found.get(field, 0) + amount if field in STORY_SUMS else amount
    return months


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
    months = {month_of(day) for day in days}
    _add_counts(
        StoryMonth,
        ("month", "article_id"),
        _by_month(story_days, 0),
        month__in=months,
        article_id__in=known,
    )
    pen_days = _by_pen(story_days)
    pen_ids = {pen for _, pen in pen_days}
    _add_counts(PenDay, ("day", "pen_name_id"), pen_days, day__in=days, pen_name_id__in=pen_ids)
    _add_counts(
        PenMonth,
        ("month", "pen_name_id"),
        _by_month(pen_days, 0),
        month__in=months,
        pen_name_id__in=pen_ids,
    )

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
    _add_counts(
        MonthBreakdown,
        ("month", "section_id", "edition", "dimension", "value"),
        _by_month(by_day, 0),
        month__in=months,
    )
    if any(day < visitors.local_day() for day in days):  # a late event of a past day
        rollups_changed()  # now, and again once committed (a reader may compute in between)
        transaction.on_commit(rollups_changed)
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
    """Both "Đọc nhiều" lists for a page, cached for five minutes, and kept in this worker's
    memory too (up to changes.KEPT_SECONDS, until the next content change): the home page
    and every section page show them, and need not wait on the cache for them each time.
    The lists are shared between requests: callers must not modify them."""
    return kept_here(versioned(f"readership:rails-here:{scope_path}"), lambda: _rails(scope_path))


def _rails(scope_path: str) -> dict[str, list[dict]]:
    """Read from the rollup as it stands: a reader's page never runs the rollup (a write,
    which would also send the rest of the request to the primary database); the beacons, the
    timer and the dashboard do."""
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
