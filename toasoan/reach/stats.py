"""The numbers the dashboard shows, read from readership's rollups (never from raw events,
except "live now", which reads the last 30 minutes of events).

A `Scope` is what a staff member may see: the whole paper (editor-in-chief, managing
editor) or their own sections (section editors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone
from wagtail.models import GroupPagePermission

from toasoan.newsroom.models import ArticlePage, SectionPage
from toasoan.newsroom.roles import CHIEF_EDITOR, MANAGING_EDITOR
from toasoan.readership.models import TOTAL, DayBreakdown, HourlyViews, ReadEvent, StoryDay
from toasoan.readership.visitors import SOURCES

from .countries import country_name

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
    """What this staff member may see, or None (no access)."""
    if not user.is_authenticated or not user.is_active:
        return None
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
    """Views in the last `minutes` (events not yet rolled up included): total, per minute,
    top stories, countries, sources."""
    now = now or timezone.now()
    since = now - timedelta(minutes=minutes)
    events = scope.rows(ReadEvent.objects.filter(kind=ReadEvent.VIEW, at__gte=since))
    per_minute = [0] * minutes
    for at in events.values_list("at", flat=True):
        index = min(minutes - 1, int((at - since).total_seconds() // 60))
        per_minute[index] += 1
    top = list(
        events.values("article_id").annotate(n=Count("id")).order_by("-n", "-article_id")[:10]
    )
    titles = dict(
        ArticlePage.objects.filter(pk__in=[r["article_id"] for r in top]).values_list("pk", "title")
    )
    return {
        "total": sum(per_minute),
        "visitors": events.values("visitor").distinct().count(),
        "per_minute": per_minute,
        "stories": [(r["article_id"], titles.get(r["article_id"], "—"), r["n"]) for r in top],
        "countries": [
            (country_name(r["country"]), r["n"])
            for r in events.values("country").annotate(n=Count("id")).order_by("-n")[:8]
        ],
        "sources": [
            (SOURCES.get(r["source"], r["source"]), r["n"])
            for r in events.values("source").annotate(n=Count("id")).order_by("-n")
        ],
        "since": since,
        "now": now,
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


def top_stories(scope: Scope, start: date, end: date, order: str = "views", limit: int = 20):
    """Stories by views or by engaged time between two days (inclusive)."""
    rows = (
        scope.rows(StoryDay.objects.filter(day__gte=start, day__lte=end))
        .values("article_id")
        .annotate(
            views=Sum("views"),
            visitors=Sum("visitors"),
            seconds=Sum("engaged_seconds"),
            engaged=Sum("engaged_views"),
            read=Sum("read_through"),
            abroad=Sum("abroad_views"),
        )
        .order_by("-seconds" if order == "engaged" else "-views", "-article_id")[:limit]
    )
    rows = list(rows)
    stories = {
        s.pk: s
        for s in ArticlePage.objects.filter(pk__in=[r["article_id"] for r in rows])
        .select_related("locale")
        .only("title", "first_published_at", "locale__language_code")
    }
    result = []
    for r in rows:
        story = stories.get(r["article_id"])
        if story is None:
            continue
        result.append(
            {
                "id": story.pk,
                "title": story.title,
                "edition": story.locale.language_code,
                "views": r["views"],
                "visitors": r["visitors"],
                "seconds": r["seconds"],
                "average": round(r["seconds"] / r["engaged"]) if r["engaged"] else 0,
                "read_through": percent(r["read"], r["engaged"]),
                "abroad": r["abroad"],
            }
        )
    return result


def percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def breakdown(scope: Scope, start: date, end: date, dimension: str, limit: int = 15):
    """(label, views, visitors) per value of a dimension, most views first."""
    rows = (
        scope.rows(DayBreakdown.objects.filter(day__gte=start, day__lte=end, dimension=dimension))
        .values("value")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
        .order_by("-views", "value")[:limit]
    )
    return [(label(dimension, r["value"]), r["views"], r["visitors"]) for r in rows]


def label(dimension: str, value: str) -> str:
    if dimension == "country":
        return country_name(value)
    if dimension == "source":
        return SOURCES.get(value, value)
    if dimension == "device":
        return DEVICES.get(value, value)
    return value or "(không có)"


def totals(scope: Scope, start: date, end: date, by: str | None = None):
    """Views, visitors and engaged seconds: overall, or per section_id / edition."""
    rows = scope.rows(DayBreakdown.objects.filter(day__gte=start, day__lte=end, dimension=TOTAL))
    sums = {"views": Sum("views"), "visitors": Sum("visitors"), "seconds": Sum("engaged_seconds")}
    if by is None:
        found = rows.aggregate(**sums)
        return {k: v or 0 for k, v in found.items()}
    return list(rows.values(by).annotate(**sums).order_by("-views"))


def by_section(scope: Scope, start: date, end: date):
    rows = totals(scope, start, end, "section_id")
    names = dict(
        SectionPage.objects.filter(pk__in=[r["section_id"] for r in rows]).values_list(
            "pk", "title"
        )
    )
    return [(names.get(r["section_id"], "—"), r["views"], r["visitors"]) for r in rows]


def by_edition(scope: Scope, start: date, end: date):
    from .report import edition_name

    return [
        (edition_name(r["edition"]), r["views"], r["visitors"])
        for r in totals(scope, start, end, "edition")
    ]


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
