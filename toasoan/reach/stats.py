"""The numbers the dashboard shows, read from readership's rollups (never from raw events,
except "live now", which reads the last 30 minutes of events).

A `Scope` is what a staff member may see: the whole paper (editor-in-chief, managing
editor) or their own sections (section editors).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMinute
from django.utils import timezone
from wagtail.models import GroupPagePermission

from toasoan.newsroom.models import ArticleByline, ArticlePage, PenName, SectionPage
from toasoan.newsroom.roles import CHIEF_EDITOR, MANAGING_EDITOR
from toasoan.readership import counting
from toasoan.readership.models import (
    DIMENSIONS,
    TOTAL,
    DayBreakdown,
    HourlyViews,
    PenDay,
    PenMonth,
    ReadEvent,
    StoryDay,
    spans,
)
from toasoan.readership.visitors import SOURCES

from .countries import country_name
from .sums import BY_TIME, BY_VIEWS, over, story_parts, summed, tops

WHOLE_PAPER_GROUPS = (CHIEF_EDITOR, MANAGING_EDITOR)
DEVICES = {"mobile": "Điện thoại", "tablet": "Máy tính bảng", "desktop": "Máy tính"}


@dataclass
class Scope:
    """Everything (`sections is None`) or only these sections (ids and tree paths)."""

    sections: list[int] | None = None
    paths: list[str] = field(default_factory=list)

    @property
    def whole(self) -> bool:
        return self.sections is None

    def rows(self, queryset, section_field: str = "section_id"):
        if self.whole:
            return queryset
        return queryset.filter(**{f"{section_field}__in": self.sections})

    def stories(self, queryset, prefix: str = ""):
        if self.whole:
            return queryset
        match = Q()
        for path in self.paths:
            match |= Q(**{f"{prefix}path__startswith": path})
        return queryset.filter(match) if self.paths else queryset.none()


def scope_for(user) -> Scope | None:
    """What this staff member may see, or None (no access): worked out once per request
    (the page and the admin menu's items ask)."""
    if not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_reach_scope"):
        user._reach_scope = _scope_for(user)
    return user._reach_scope


def _scope_for(user) -> Scope | None:
    groups = set(user.groups.values_list("name", flat=True))
    if user.is_superuser or groups & set(WHOLE_PAPER_GROUPS):
        return Scope()
    granted = list(
        GroupPagePermission.objects.filter(
            group__user=user, permission__codename__in=("change_page", "publish_page")
        ).values_list("page__path", flat=True)
    )
    if not granted:
        return None
    match = Q()
    for path in granted:
        match |= Q(path__startswith=path)
    sections = SectionPage.objects.filter(match)
    found = list(sections.values_list("pk", "path"))
    if not found:
        return None
    return Scope([pk for pk, _ in found], [path for _, path in found])


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def live(scope: Scope, minutes: int = 30, now: datetime | None = None) -> dict:
    """Views in the last `minutes` clock minutes, the current one included: total, per
    minute, visitors, top stories, countries, sources. What the flushes wrote is counted in
    the database (a busy half hour is a few rows here, never every event) and kept for the
    minute; the views still buffered in Redis are added to it on every call, so the panel
    never waits for a flush and never runs one."""
    now = now or timezone.now()
    since = now.replace(second=0, microsecond=0) - timedelta(minutes=minutes - 1)
    sections = "all" if scope.whole else ".".join(map(str, sorted(scope.sections)))
    key = f"reach:now:{sections}:{minutes}:{since:%Y%m%d%H%M}:{counting.rollup_version()}"
    found = cache.get(key)
    if found is None:
        found = _live(scope, minutes, since)
        cache.set(key, found, 60)
    mine = set(scope.sections or ())
    pending = [e for e in counting.pending_views(since) if scope.whole or e.section_id in mine]
    if pending:
        found = _with_pending(scope, found, pending, since)
    stories = sorted(found["stories"].items(), key=lambda kv: (-kv[1], -kv[0]))[:10]
    titles = dict(
        ArticlePage.objects.filter(pk__in=[pk for pk, _ in stories]).values_list("pk", "title")
    )

    def ranked(counts: dict, name, limit: int | None = None) -> list:
        rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [(name(k), n) for k, n in rows]

    return {
        "total": sum(found["per_minute"]),
        "visitors": found["visitors"],
        "per_minute": found["per_minute"],
        "stories": [(pk, titles.get(pk, "—"), n) for pk, n in stories],
        "countries": ranked(found["countries"], country_name, 8),
        "sources": ranked(found["sources"], lambda s: SOURCES.get(s, s)),
        "since": since,
        "now": now,
    }


def _live(scope: Scope, minutes: int, since: datetime) -> dict:
    """The database's part of `live`: counts per minute, story, country and source (every
    one of them: the buffered views may add to any)."""
    events = scope.rows(ReadEvent.objects.filter(kind=ReadEvent.VIEW, at__gte=since))
    per_minute = [0] * minutes
    for row in events.annotate(minute=TruncMinute("at")).values("minute").annotate(n=Count("id")):
        index = int((row["minute"] - since).total_seconds() // 60)
        if 0 <= index < minutes:
            per_minute[index] += row["n"]
    return {
        "per_minute": per_minute,
        "visitors": events.aggregate(n=Count("visitor", distinct=True))["n"],
        "stories": dict(events.values_list("article_id").annotate(n=Count("id")).order_by()),
        "countries": dict(events.values_list("country").annotate(n=Count("id")).order_by()),
        "sources": dict(events.values_list("source").annotate(n=Count("id")).order_by()),
    }


def _with_pending(scope: Scope, found: dict, pending: list, since: datetime) -> dict:
    """`found` (the database's counts) with the buffered views added; a buffered visitor
    already counted in the database is not counted twice."""
    minutes = len(found["per_minute"])
    per_minute = list(found["per_minute"])
    counts = {name: dict(found[name]) for name in ("stories", "countries", "sources")}
    for event in pending:
        index = int((event.at - since).total_seconds() // 60)
        if 0 <= index < minutes:
            per_minute[index] += 1
        for name, value in (
            ("stories", event.article_id),
            ("countries", event.country),
            ("sources", event.source),
        ):
            counts[name][value] = counts[name].get(value, 0) + 1
    new = {e.visitor for e in pending}
    seen = set(
        scope.rows(ReadEvent.objects.filter(kind=ReadEvent.VIEW, at__gte=since, visitor__in=new))
        .values_list("visitor", flat=True)
        .distinct()
    )
    return {
        "per_minute": per_minute,
        "visitors": found["visitors"] + len(new - seen),
        **counts,
    }


def hourly_today(scope: Scope, now: datetime | None = None) -> list[tuple[int, int, int]]:
    """(hour 0–23, views today, views the same weekday last week) in the paper's time."""
    now = timezone.localtime(now or timezone.now())
    today = local_midnight(now.date())
    week_ago = today - timedelta(days=7)
    rows = scope.stories(
        HourlyViews.objects.filter(
            Q(hour__gte=today, hour__lt=today + timedelta(days=1))
            | Q(hour__gte=week_ago, hour__lt=week_ago + timedelta(days=1))
        ),
        "article__",
    )
    sums = rows.values("hour").annotate(n=Sum("views"))
    now_hours, then_hours = [0] * 24, [0] * 24
    for r in sums:
        hour = timezone.localtime(r["hour"])
        target = now_hours if hour >= today else then_hours
        target[hour.hour] += r["n"]
    return [(h, now_hours[h], then_hours[h]) for h in range(24)]


KEEP_PAST = 6 * 60 * 60  # what was computed from past days' rollups (keyed by their version)


def _kept(name: str, scope: Scope, start: date, end: date, compute):
    """`compute()` for days that are all past, kept in the cache until the rollups of past
    days change (counting.past_version: a late flush, a bulk load); computed every time for
    a period that includes today."""
    if end >= timezone.localdate():
        return compute()
    sections = "all" if scope.whole else ".".join(map(str, sorted(scope.sections)))
    key = f"reach:{name}:{sections}:{start:%Y%m%d}:{end:%Y%m%d}:{counting.past_version()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, KEEP_PAST)
    return found


def _split(start: date, end: date) -> tuple[date, date] | None:
    """(start, yesterday) when the period runs from before today up to today: that part is
    kept (`_kept`) and today's is added to it."""
    today = timezone.localdate()
    return (start, today - timedelta(days=1)) if start < today <= end else None


def _pen_rows(scope: Scope, start: date, end: date) -> list[tuple]:
    """Each pen name's sums between two days (pen_name_id, views, visitors, seconds, engaged,
    read, abroad): the whole paper's from the pen names' own rollup (PenDay, PenMonth), a
    section editor's from the sums of the stories of their sections."""
    if not scope.whole:
        return _scoped_pen_rows(scope, start, end)

    def query(model, field: str, first: date, last: date) -> list[tuple]:
        rows = (
            model.objects.filter(**{f"{field}__gte": first, f"{field}__lte": last})
            .values_list("pen_name_id")
            .annotate(
                Sum("views"),
                Sum("visitors"),
                Sum("engaged_seconds"),
                Sum("engaged_views"),
                Sum("read_through"),
                Sum("abroad_views"),
            )
            .order_by()
        )
        return [(pen, amounts) for pen, *amounts in rows]

    days, months = spans(start, end)
    parts = [query(PenDay, "day", lo, hi) for lo, hi in days]
    if months:
        parts.append(query(PenMonth, "month", *months))
    return [(pen, *amounts) for pen, amounts in summed(parts)]


def _scoped_pen_rows(scope: Scope, start: date, end: date) -> list[tuple]:
    """`_pen_rows` summed from the stories of the scope's sections (a story signed twice by
    one pen name counts once for it)."""
    parts, params = story_parts(scope.sections, start, end)
    bylines = ArticleByline._meta.db_table
    sql = (
        f"SELECT b.pen_name_id, SUM(s.views), SUM(s.visitors), SUM(s.seconds),"
        f" SUM(s.engaged), SUM(s.read), SUM(s.abroad) FROM ({parts}) AS s"
        f" JOIN (SELECT DISTINCT page_id, pen_name_id FROM {bylines}) AS b"
        f" ON b.page_id = s.article_id GROUP BY b.pen_name_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(int(v) if isinstance(v, Decimal) else v for v in r) for r in cursor]


def _top_rows(scope: Scope, start: date, end: date, limit: int) -> dict[str, list]:
    """{"views": rows, "engaged": rows, "pens": rows}: the top stories by views and by
    engaged time, each row (article_id, views, visitors, seconds, engaged, read, abroad),
    and every pen name's sums (pen_name_id, the same sums)."""
    found = tops(scope.sections, start, end, {"views": BY_VIEWS, "engaged": BY_TIME}, limit)
    return {**found, "pens": _pen_rows(scope, start, end)}


def top_stories(scope: Scope, start: date, end: date, limit: int = 20) -> dict[str, list]:
    """The stories most read ("views") and read longest ("engaged": total engaged time)
    between two days (inclusive), and the pen names read most and longest. Each top list
    reads a few rows per day and month (sums.tops); a period wholly past is kept."""
    top = _kept("tops", scope, start, end, lambda: _top_rows(scope, start, end, limit))
    ids = {r[0] for order in (top["views"], top["engaged"]) for r in order}
    stories = {
        s.pk: s
        for s in ArticlePage.objects.filter(pk__in=ids)
        .select_related("locale")
        .only("title", "first_published_at", "locale__language_code")
    }
    result: dict[str, list] = {"views": [], "engaged": [], "pens": _pens(top["pens"], limit)}
    for order, rows in ((k, top[k]) for k in ("views", "engaged")):
        for article_id, views, visitors, seconds, engaged, read, abroad in rows:
            story = stories.get(article_id)
            if story is None:
                continue
            result[order].append(
                {
                    "id": story.pk,
                    "title": story.title,
                    "edition": story.locale.language_code,
                    "views": views,
                    "visitors": visitors,
                    "seconds": seconds,
                    "average": round(seconds / engaged) if engaged else 0,
                    "read_through": percent(read, engaged),
                    "abroad": abroad,
                }
            )
    return result


def _pens(rows: list[tuple], limit: int) -> dict[str, list[dict]]:
    """The pen names read most ("views") and longest ("engaged"), `limit` of each."""
    names = dict(PenName.objects.filter(pk__in=[r[0] for r in rows]).values_list("pk", "name"))
    pens = [
        {
            "name": names.get(pen, "—"),
            "views": views,
            "visitors": visitors,
            "seconds": seconds,
            "average": round(seconds / engaged) if engaged else 0,
            "read_through": percent(read, engaged),
        }
        for pen, views, visitors, seconds, engaged, read, _abroad in rows
        if views or seconds
    ]
    return {
        "views": sorted(pens, key=lambda p: (-p["views"], p["name"]))[:limit],
        "engaged": sorted(pens, key=lambda p: (-p["seconds"], p["name"]))[:limit],
    }


def _day_sums(name: str, scope: Scope, start: date, end: date, query) -> list[tuple]:
    """`query(start, end)` rows (key..., amounts...: `width` trailing amounts) summed over a
    period: the past days kept, today's added."""
    split = _split(start, end)
    if split is None:
        return _kept(name, scope, start, end, lambda: over(query, start, end))
    return summed([_kept(name, scope, *split, lambda: over(query, *split)), query(*_today(end))])


def _today(day: date) -> tuple:
    return DayBreakdown, "day", day, day


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def breakdowns(scope: Scope, start: date, end: date, limit: int = 15) -> dict[str, list]:
    """(label, views, visitors) per value of every dimension, most views first: one query."""

    def query(model, field: str, first: date, last: date) -> list[tuple]:
        rows = (
            scope.rows(
                model.objects.filter(
                    **{f"{field}__gte": first, f"{field}__lte": last},
                    dimension__in=list(DIMENSIONS),
                )
            )
            .values_list("dimension", "value")
            .annotate(views=Sum("views"), visitors=Sum("visitors"))
        )
        return [((d, v), (views, visitors)) for d, v, views, visitors in rows]

    rows = _day_sums("parts", scope, start, end, query)
    found: dict[str, list] = {dimension: [] for dimension in DIMENSIONS}
    for (dimension, value), (views, visitors) in sorted(rows, key=lambda r: (-r[1][0], r[0][1])):
        part = found[dimension]
        if len(part) < limit:
            part.append((label(dimension, value), views, visitors))
    return found


def label(dimension: str, value: str) -> str:
    if dimension == "country":
        return country_name(value)
    if dimension == "source":
        return SOURCES.get(value, value)
    if dimension == "device":
        return DEVICES.get(value, value)
    return value or "(không có)"


def totals(scope: Scope, start: date, end: date) -> dict:
    """Views, visitors and engaged seconds between two days: overall ("all"), per section
    ("sections": (name, views, visitors), most read first) and per edition ("editions"),
    from one query over the daily totals."""
    from .report import edition_name

    def query(model, field: str, first: date, last: date) -> list[tuple]:
        rows = (
            scope.rows(
                model.objects.filter(
                    **{f"{field}__gte": first, f"{field}__lte": last}, dimension=TOTAL
                )
            )
            .values_list("section_id", "edition")
            .annotate(views=Sum("views"), visitors=Sum("visitors"), seconds=Sum("engaged_seconds"))
        )
        return [((s, e), (v, p, t)) for s, e, v, p, t in rows]

    rows = [
        {"section_id": s, "edition": e, "views": v, "visitors": p, "seconds": t}
        for (s, e), (v, p, t) in _day_sums("totals", scope, start, end, query)
    ]
    whole = {"views": 0, "visitors": 0, "seconds": 0}
    sections: dict = defaultdict(lambda: [0, 0])
    editions: dict = defaultdict(lambda: [0, 0])
    for r in rows:
        for key in whole:
            whole[key] += r[key] or 0
        for part, key in ((sections, r["section_id"]), (editions, r["edition"])):
            part[key][0] += r["views"] or 0
            part[key][1] += r["visitors"] or 0
    names = dict(SectionPage.objects.filter(pk__in=list(sections)).values_list("pk", "title"))

    def ranked(part: dict, name) -> list:
        return [
            (name(key), views, visitors)
            for key, (views, visitors) in sorted(part.items(), key=lambda kv: -kv[1][0])
        ]

    return {
        "all": whole,
        "sections": ranked(sections, lambda pk: names.get(pk, "—")),
        "editions": ranked(editions, edition_name),
    }


def story_detail(story: ArticlePage, start: date, end: date) -> dict:
    """One story: views per day, countries, sources, read-through."""
    from toasoan.readership.models import StoryBreakdown

    days = {
        r["day"]: r
        for r in StoryDay.objects.filter(article=story, day__gte=start, day__lte=end).values()
    }
    series = []
    day = start
    while day <= end:
        series.append((day, days.get(day, {}).get("views", 0)))
        day += timedelta(days=1)
    sums = StoryDay.objects.filter(article=story, day__gte=start, day__lte=end).aggregate(
        views=Sum("views"),
        visitors=Sum("visitors"),
        seconds=Sum("engaged_seconds"),
        engaged=Sum("engaged_views"),
        depth=Sum("depth"),
        read=Sum("read_through"),
        abroad=Sum("abroad_views"),
    )
    sums = {k: v or 0 for k, v in sums.items()}
    parts = {}
    for dimension in ("country", "source", "host", "device"):
        rows = (
            StoryBreakdown.objects.filter(
                article=story, dimension=dimension, day__gte=start, day__lte=end
            )
            .values("value")
            .annotate(views=Sum("views"), visitors=Sum("visitors"))
            .order_by("-views", "value")[:15]
        )
        parts[dimension] = [(label(dimension, r["value"]), r["views"], r["visitors"]) for r in rows]
    return {
        "series": series,
        "sums": sums,
        "average": round(sums["seconds"] / sums["engaged"]) if sums["engaged"] else 0,
        "depth": round(sums["depth"] / sums["engaged"]) if sums["engaged"] else 0,
        "read_through": percent(sums["read"], sums["engaged"]),
        "abroad_share": percent(sums["abroad"], sums["views"]),
        "parts": parts,
    }


WARM_PERIODS = (6, 29, 364)  # the dashboard's 7 days, 30 days and a year, up to today


def warm(**_signal) -> int:
    """Work out the past days of the whole paper's usual periods (`_kept`: totals and
    breakdowns; the top lists read a few rows per day and month each time) if the rollups
    of past days changed or a day began since: called after the timer's rollup, so the
    first editor to open the dashboard then does not wait for it. Returns the periods
    computed."""
    today = timezone.localdate()
    if not cache.add(f"reach:warmed:{today:%Y%m%d}:{counting.past_version()}", 1, KEEP_PAST):
        return 0
    scope = Scope()
    for back in WARM_PERIODS:
        start = today - timedelta(days=back)
        totals(scope, start, today)
        breakdowns(scope, start, today)
    return len(WARM_PERIODS)
