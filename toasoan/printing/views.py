"""The e-paper for readers: calendar archive, the page reader, search across issues."""

import calendar
from datetime import date

from django.http import Http404
from django.shortcuts import render

from toasoan.core.text import WEEKDAYS
from toasoan.search import ratelimit as search_rate

from . import epaper
from .models import PageSlot, PrintIssue

MONTHS = [f"Tháng {n}" for n in range(1, 13)]


def _published():
    return PrintIssue.objects.filter(epaper_public=True)


def archive(request, year: int | None = None, month: int | None = None):
    """A month's calendar (the latest issue's by default); days with an e-paper link to it."""
    latest = _published().first()
    if year is not None and not 1900 < year < 9999:  # the months either side must exist too
        raise Http404
    try:
        shown = date(year, month, 1) if year else (latest.date if latest else date.today())
    except ValueError:
        raise Http404 from None
    shown = shown.replace(day=1)
    issues = {
        i.date: i for i in _published().filter(date__year=shown.year, date__month=shown.month)
    }
    weeks = [
        [(day, issues.get(day)) if day.month == shown.month else (None, None) for day in week]
        for week in calendar.Calendar().monthdatescalendar(shown.year, shown.month)
    ]
    before = date(shown.year - (shown.month == 1), (shown.month - 2) % 12 + 1, 1)
    after = date(shown.year + (shown.month == 12), shown.month % 12 + 1, 1)
    return render(
        request,
        "printing/archive.html",
        {
            "shown": shown,
            "month_name": f"{MONTHS[shown.month - 1]}/{shown.year}",
            "weeks": weeks,
            "weekdays": [w.replace("Thứ ", "T").replace("Chủ Nhật", "CN") for w in WEEKDAYS],
            "before": before,
            "after": after,
            "latest": latest,
            "recent": _published()[:6],
        },
    )


def issue(request, day: str):
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    paper = _published().filter(date=wanted).first()
    if paper is None:
        raise Http404
    pages = list(paper.pages.order_by("number"))
    links: dict[int, list] = {p.pk: [] for p in pages}
    for slot in PageSlot.objects.filter(page__issue=paper, story__isnull=False).select_related(
        "story"
    ):
        if slot.story.live:
            links[slot.page_id].append(slot.story)
    shown = [
        {
            "page": p,
            "thumb": p.thumb_url,
            "image": p.page_url,
            "zoom": p.zoom_url,
            "stories": links[p.pk],
        }
        for p in pages
        if p.image_page
    ]
    return render(
        request,
        "printing/issue.html",
        {
            "issue": paper,
            "pages": shown,
            "weekday": WEEKDAYS[paper.date.weekday()],
            "previous": _published().filter(date__lt=paper.date).order_by("-date").first(),
            "next": _published().filter(date__gt=paper.date).order_by("date").first(),
        },
    )


def search(request):
    """Search across the e-papers, under the site search's limit per reader (the same counter:
    a reader searching the site and the e-paper spends one allowance)."""
    query = " ".join(request.GET.get("q", "").split())[:200]
    if query:
        allowed, retry_after = search_rate.allow(request)
        if not allowed:
            return search_rate.refused(
                request, "printing/search.html", {"query": query}, retry_after
            )
    hits = epaper.search_pages(query) if query else []
    return render(request, "printing/search.html", {"query": query, "hits": hits})
