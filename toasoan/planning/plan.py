"""The day's plan (kế hoạch đề tài): ideas of a day grouped by section and platform, the
meeting screen's filters, and what needs chasing."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from .access import plan_sections, visible_ideas
from .models import Coverage, Idea, Platform

FILTERS = {
    "": "Tất cả",
    "cua-toi": "Của tôi",
    "chua-phan-cong": "Chưa phân công",
    "qua-han": "Quá hạn",
}
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]


def day_label(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {day:%d/%m/%Y}"


def parse_day(text: str | None) -> date:
    """`08/12/2026` or `2026-12-08`; anything else (or nothing) is tomorrow."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime((text or "").strip(), fmt).date()
        except ValueError:
            continue
    return timezone.localdate() + timedelta(days=1)


def _unassigned() -> Q:
    """Approved, still open, and some coverage (or the whole idea) has nobody on it."""
    nobody = Coverage.objects.filter(idea=OuterRef("pk")).filter(
        Q(assignee__isnull=True, desk__isnull=True) | Q(status=Coverage.Status.DECLINED)
    )
    any_coverage = Coverage.objects.filter(idea=OuterRef("pk"))
    return Q(state__in=[Idea.State.APPROVED, Idea.State.IN_PROGRESS]) & (
        Exists(nobody) | ~Exists(any_coverage)
    )


def _overdue() -> Q:
    now = timezone.now()
    late = Coverage.objects.filter(idea=OuterRef("pk"), deadline__lt=now).exclude(
        status=Coverage.Status.DONE
    )
    open_states = [Idea.State.PROPOSED, Idea.State.APPROVED, Idea.State.IN_PROGRESS]
    return Q(state__in=open_states) & (Q(deadline__lt=now) | Exists(late))


def filtered(ideas: QuerySet[Idea], user, which: str) -> QuerySet[Idea]:
    if which == "cua-toi":
        return ideas.filter(Q(proposed_by=user) | Q(coverages__assignee=user)).distinct()
    if which == "chua-phan-cong":
        return ideas.filter(_unassigned())
    if which == "qua-han":
        return ideas.filter(_overdue())
    return ideas


@dataclass
class PlatformGroup:
    label: str
    ideas: list[Idea]


@dataclass
class SectionGroup:
    section: object
    ideas: list[Idea] = field(default_factory=list)  # each once (the meeting screen)
    platforms: list[PlatformGroup] = field(default_factory=list)  # by platform (print, e-mail)
    count: int = 0
    approved: int = 0

    @property
    def platform_counts(self) -> str:
        return " · ".join(f"{p.label} {len(p.ideas)}" for p in self.platforms)


def with_details(ideas: QuerySet[Idea]) -> QuerySet[Idea]:
    coverages = Coverage.objects.select_related("assignee", "desk")
    related = ideas.select_related("section", "proposed_by", "article", "merged_into")
    return related.prefetch_related(Prefetch("coverages", queryset=coverages), "events")


def day_plan(
    user, day: date, which: str = "", section=None, platform: str = ""
) -> list[SectionGroup]:
    """The day's ideas the user may see, by section (in the paper's order), then platform.
    An idea on several platforms is listed under each (counted once per section)."""
    seen = visible_ideas(user) if user is not None else Idea.objects.all()
    ideas = filtered(seen.filter(plan_date=day), user, which)
    if section is not None:
        ideas = ideas.filter(section=section)
    ideas = list(with_details(ideas.exclude(state=Idea.State.MERGED)))
    if platform in Platform.values:  # in Python: SQLite has no JSON "contains"
        ideas = [i for i in ideas if platform in i.platforms]
    groups = []
    for sec in plan_sections():
        mine = [i for i in ideas if i.section_id == sec.pk]
        if not mine:
            continue
        group = SectionGroup(section=sec, ideas=mine, count=len(mine))
        group.approved = sum(
            1 for i in mine if i.state not in (Idea.State.PROPOSED, Idea.State.RETURNED)
        )
        for value, label in Platform.choices:
            on = [i for i in mine if value in i.platforms]
            if on:
                group.platforms.append(PlatformGroup(label, on))
        other = [i for i in mine if not set(i.platforms) & set(Platform.values)]
        if other:
            group.platforms.append(PlatformGroup("Chưa chọn nền tảng", other))
        groups.append(group)
    return groups


@dataclass
class Chase:
    overdue: list[Coverage]
    unassigned: list[Idea]

    def __bool__(self) -> bool:
        return bool(self.overdue or self.unassigned)


def to_chase(user) -> Chase:
    """Overdue coverages and approved ideas with nobody on some part, among what the user sees."""
    ideas = visible_ideas(user) if user is not None else Idea.objects.all()
    overdue = list(
        Coverage.objects.filter(idea__in=ideas, deadline__lt=timezone.now())
        .exclude(status=Coverage.Status.DONE)
        .exclude(idea__state__in=[Idea.State.PUBLISHED, Idea.State.CANCELLED, Idea.State.MERGED])
        .select_related("idea", "assignee", "desk")
        .order_by("deadline")[:50]
    )
    unassigned = list(with_details(ideas.filter(_unassigned())).order_by("deadline")[:50])
    return Chase(overdue, unassigned)


def my_assignments(user) -> list[Coverage]:
    """What is waiting on the user: coverages given to them (or their desk), still to do."""
    desks = user.groups.filter(name__startswith="Ban ")
    return list(
        Coverage.objects.filter(
            Q(assignee=user) | Q(assignee__isnull=True, desk__in=desks),
            status__in=[Coverage.Status.WAITING, Coverage.Status.ACCEPTED],
        )
        .exclude(idea__state__in=[Idea.State.PUBLISHED, Idea.State.CANCELLED, Idea.State.MERGED])
        .select_related("idea", "idea__article")
        .order_by("deadline")[:30]
    )
