"""Báo cáo thông tin đối ngoại: how far the paper's stories travelled, for any period.

Per edition (language): stories published, translations made (and from which Vietnamese
stories), views and visitors, the share of views from abroad, readers by country, the top
stories abroad and the month-by-month trend. The same figures go to the page, the `.xlsx`
workbook (openpyxl) and the PDF (WeasyPrint, on our own server, with the Noto fonts).

"Visitors" is the sum of each day's distinct visitors (the visitor hash changes every day,
by design: nobody is followed from one day to the next). "Abroad" is every view from an
address registered outside Việt Nam; views of no known country count as neither.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone

from toasoan.editions.editions import all_editions
from toasoan.editions.editions import get as get_edition
from toasoan.newsroom.models import ArticlePage
from toasoan.readership.counting import ABROAD_EXCLUDES
from toasoan.readership.models import TOTAL
from toasoan.readership.visitors import COUNTRY_SOURCE

from .countries import country_name
from .sums import BY_ABROAD, over, tops

TEXT = {
    "vi": {
        "title": "Báo cáo thông tin đối ngoại",
        "period": "Kỳ báo cáo",
        "edition": "Ấn bản",
        "published": "Bài đã đăng",
        "translations": "Bản dịch",
        "views": "Lượt đọc",
        "visitors": "Lượt người đọc",
        "abroad_views": "Lượt đọc từ nước ngoài",
        "abroad_share": "Tỷ lệ đọc từ nước ngoài",
        "countries": "Bạn đọc theo quốc gia",
        "country": "Quốc gia",
        "top_abroad": "Bài được đọc nhiều ở nước ngoài",
        "story": "Bài viết",
        "month": "Tháng",
        "trend": "Diễn biến theo tháng",
        "source_story": "Dịch từ bài",
        "translated": "Bài dịch",
        "total": "Toàn báo",
        "overview": "Tổng quan",
        "made": "Lập lúc",
        "visitors_note": (
            "Lượt người đọc là tổng số người đọc khác nhau của từng ngày (mã ẩn danh đổi "
            "mỗi ngày, không theo dõi ai qua nhiều ngày)."
        ),
        "none": "Không có",
    },
    "en": {
        "title": "External information report",
        "period": "Period",
        "edition": "Edition",
        "published": "Stories published",
        "translations": "Translations",
        "views": "Views",
        "visitors": "Daily visitors",
        "abroad_views": "Views from abroad",
        "abroad_share": "Share of views from abroad",
        "countries": "Readers by country",
        "country": "Country",
        "top_abroad": "Top stories abroad",
        "story": "Story",
        "month": "Month",
        "trend": "Month by month",
        "source_story": "Translated from",
        "translated": "Translation",
        "total": "Whole paper",
        "overview": "Overview",
        "made": "Generated",
        "visitors_note": (
            "Daily visitors: the sum of each day's distinct visitors (the anonymous hash "
            "changes daily; nobody is followed across days)."
        ),
        "none": "None",
    },
}
COUNTRY_SOURCE_EN = (
    "Country by IP address: the five Regional Internet Registries' delegation files (AFRINIC, "
    "APNIC, ARIN, LACNIC, RIPE NCC), via the iptocc package (MIT/Apache-2.0), looked up on "
    "the paper's own server."
)


def edition_name(code: str, language: str = "vi") -> str:
    edition = get_edition(code)
    if edition is None:
        return code or "—"
    if language == "vi" and not edition.is_default:
        return edition.name_vi  # "Tiếng Anh"
    return edition.name


@dataclass
class Period:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def bounds(self) -> tuple[datetime, datetime]:
        start = timezone.make_aware(datetime.combine(self.start, datetime.min.time()))
        end = timezone.make_aware(
            datetime.combine(self.end + timedelta(days=1), datetime.min.time())
        )
        return start, end

    def months(self) -> list[tuple[int, int]]:
        found, day = [], self.start.replace(day=1)
        while day <= self.end:
            found.append((day.year, day.month))
            day = (day + timedelta(days=32)).replace(day=1)
        return found


def parse_period(kind: str, value: str, until: str = "") -> Period | None:
    """ "thang" 2026-11, "quy" 2026-4, "nam" 2026, "khoang" 2017..2021 (years) or two dates."""
    try:
        if kind == "thang":
            year, month = (int(x) for x in value.split("-"))
            start = date(year, month, 1)
            return Period(start, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1))
        if kind == "quy":
            year, quarter = (int(x) for x in value.split("-"))
            start = date(year, 3 * quarter - 2, 1)
            end = (date(year, 3 * quarter, 1) + timedelta(days=32)).replace(day=1)
            return Period(start, end - timedelta(days=1))
        if kind == "nam":
            return Period(date(int(value), 1, 1), date(int(value), 12, 31))
        if kind == "khoang":
            first = datetime.strptime(value, "%d/%m/%Y").date()
            last = datetime.strptime(until, "%d/%m/%Y").date()
            return Period(first, last) if first <= last else None
        if kind == "nam-den-nam":
            return Period(date(int(value), 1, 1), date(int(until), 12, 31))
    except (ValueError, TypeError):
        return None
    return None


def _parts(period: Period) -> list[tuple]:
    """((edition, dimension, value, (year, month)), (views, visitors)) of the totals and the
    countries in the period: daily rows for its loose days, monthly ones for whole months."""

    def query(model, field: str, first: date, last: date) -> list[tuple]:
        rows = (
            model.objects.filter(
                **{f"{field}__gte": first, f"{field}__lte": last},
                dimension__in=(TOTAL, "country"),
            )
            .values_list("edition", "dimension", "value", field)
            .annotate(views=Sum("views"), visitors=Sum("visitors"))
            .order_by()
        )
        return [
            ((e, d, v, (when.year, when.month)), (views, visitors))
            for e, d, v, when, views, visitors in rows
        ]

    return over(query, period.start, period.end)


def _top_abroad(period: Period, code: str) -> list[tuple[int, int, int]]:
    """(story id, views abroad, views) of the edition's 10 stories read most abroad."""
    top = tops(None, period.start, period.end, {"abroad": BY_ABROAD}, 10, edition=code)
    return [(r[0], r[6], r[1]) for r in top["abroad"]]


def _published(period: Period, code: str, default: bool) -> tuple[int, list[tuple[str, str]]]:
    """How many stories the edition published in the period, and (another edition) its
    translations with the titles of their Vietnamese stories: kept until a story is
    published, changed or translated (the content generation), whatever the rollups do."""
    from django.core.cache import cache

    from toasoan.core import changes

    key = changes.versioned(f"reach:published:{period.start:%Y%m%d}:{period.end:%Y%m%d}:{code}")
    found = cache.get(key)
    if found is None:
        found = _count_published(period, code, default)
        cache.set(key, found, KEEP)
    return found


def _count_published(period: Period, code: str, default: bool) -> tuple[int, list]:
    start, end = period.bounds()
    published = ArticlePage.objects.filter(
        locale__language_code=code, live=True, first_published_at__gte=start
    ).filter(first_published_at__lt=end)
    translations = []
    if not default:
        sources = dict(
            ArticlePage.objects.filter(
                locale__language_code=settings.LANGUAGE_CODE,
                translation_key__in=published.values("translation_key"),
            ).values_list("translation_key", "title")
        )
        translations = [
            (title, sources[key])
            for title, key in published.order_by("first_published_at", "pk").values_list(
                "title", "translation_key"
            )
            if key in sources
        ]
    return published.count(), translations


def build(period: Period, language: str = "vi") -> dict:
    """Every figure of the report (also what the .xlsx and the PDF are made from)."""
    parts = _parts(period)
    editions = []
    for edition in all_editions():
        code = edition.code
        views = visitors = abroad_views = abroad_visitors = 0
        by_country: dict[str, list[int]] = {}
        by_month: dict[tuple[int, int], list[int]] = {m: [0, 0] for m in period.months()}
        for (e, dimension, value, month), (v, p) in parts:
            if e != code:
                continue
            if dimension == TOTAL:
                views, visitors = views + v, visitors + p
                by_month[month][0] += v
                continue
            found = by_country.setdefault(value, [0, 0])
            found[0], found[1] = found[0] + v, found[1] + p
            if value not in ABROAD_EXCLUDES:
                abroad_views, abroad_visitors = abroad_views + v, abroad_visitors + p
                by_month[month][1] += v
        countries = [
            (country_name(value, language), v, p)
            for value, (v, p) in sorted(by_country.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ]
        published, translations = _published(period, code, edition.is_default)
        top = _top_abroad(period, code)
        titles = dict(
            ArticlePage.objects.filter(pk__in=[r[0] for r in top]).values_list("pk", "title")
        )
        monthly = [(f"{m:02d}/{y}", v, a) for (y, m), (v, a) in by_month.items()]
        editions.append(
            {
                "code": code,
                "name": edition_name(code, language),
                "published": published,
                "translations": translations,
                "views": views,
                "visitors": visitors,
                "abroad_views": abroad_views,
                "abroad_visitors": abroad_visitors,
                "abroad_share": _share(abroad_views, views),
                "countries": countries,
                "top_abroad": [(titles.get(pk, "—"), abroad, v) for pk, abroad, v in top],
                "monthly": monthly,
            }
        )
    whole = {
        key: sum(e[key] for e in editions)
        for key in ("published", "views", "visitors", "abroad_views")
    }
    whole["abroad_share"] = _share(whole["abroad_views"], whole["views"])
    whole["translations"] = sum(len(e["translations"]) for e in editions)
    return {
        "period": period,
        "language": language,
        "t": TEXT[language],
        "editions": editions,
        "whole": whole,
        "made": timezone.localtime(),
        "attribution": COUNTRY_SOURCE if language == "vi" else COUNTRY_SOURCE_EN,
        "paper": settings.WAGTAIL_SITE_NAME,
    }


KEEP = 6 * 60 * 60


def kept(period: Period, language: str = "vi") -> dict:
    """`build()`, kept in the cache until what it reads changes: the rollups (of past days
    only, for a period that has ended; any rollup, for one that includes today) and the
    stories (the content generation: a story published or translated)."""
    from django.core.cache import cache

    from toasoan.core import changes
    from toasoan.readership import counting

    if period.end < timezone.localdate():
        version = counting.past_version()
    else:
        version = counting.rollup_version()
    key = (
        f"reach:report:{period.start:%Y%m%d}:{period.end:%Y%m%d}:{language}:{version}"
        f":{changes.generation()}"
    )
    data = cache.get(key)
    if data is None:
        data = build(period, language)
        cache.set(key, data, KEEP)
    data["made"] = timezone.localtime()
    return data


def _share(part: int, whole: int) -> str:
    """A percentage with one decimal, written the Vietnamese way (12,5 %)."""
    if not whole:
        return "0 %"
    return f"{100 * part / whole:.1f}".replace(".", ",") + " %"


def number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def workbook(report: dict) -> bytes:
    """The report as an .xlsx workbook: an overview sheet, then one sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    t = report["t"]
    book = Workbook()
    sheet = book.active
    sheet.title = t["overview"][:31]
    bold = Font(bold=True)
    sheet.append([t["title"]])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([t["period"], report["period"].label])
    sheet.append([])
    header = [
        t["edition"],
        t["published"],
        t["translations"],
        t["views"],
        t["visitors"],
        t["abroad_views"],
        t["abroad_share"],
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for e in report["editions"]:
        sheet.append(
            [
                e["name"],
                e["published"],
                len(e["translations"]),
                e["views"],
                e["visitors"],
                e["abroad_views"],
                e["abroad_share"],
            ]
        )
    w = report["whole"]
    sheet.append(
        [
            t["total"],
            w["published"],
            w["translations"],
            w["views"],
            w["visitors"],
            w["abroad_views"],
            w["abroad_share"],
        ]
    )
    sheet.append([])
    sheet.append([t["visitors_note"]])
    sheet.append([report["attribution"]])
    sheet.column_dimensions["A"].width = 34

    def table(title: str, head: list[str], rows) -> None:
        ws = book.create_sheet(title[:31])
        ws.append(head)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(list(row))
        ws.column_dimensions["A"].width = 16
        ws.column_dimensions["B"].width = 60

    table(
        t["countries"],
        [t["edition"], t["country"], t["views"], t["visitors"]],
        [(e["name"], *row) for e in report["editions"] for row in e["countries"]],
    )
    table(
        t["top_abroad"],
        [t["edition"], t["story"], t["abroad_views"], t["views"]],
        [(e["name"], *row) for e in report["editions"] for row in e["top_abroad"]],
    )
    table(
        t["trend"],
        [t["edition"], t["month"], t["views"], t["abroad_views"]],
        [(e["name"], *row) for e in report["editions"] for row in e["monthly"]],
    )
    table(
        t["translations"],
        [t["edition"], t["translated"], t["source_story"]],
        [(e["name"], *row) for e in report["editions"] for row in e["translations"]],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(report: dict) -> bytes:
    """The report as a PDF, rendered here by WeasyPrint (Noto Sans/Serif: Vietnamese glyphs
    from the server's fonts-noto-core; nothing is fetched from elsewhere)."""
    from weasyprint import HTML

    report_charts(report)
    html = render_to_string("reach/report_pdf.html", {**report, "report": report})
    return HTML(string=html, base_url=None).write_pdf()


def report_charts(report: dict) -> dict:
    """Adds each edition's SVG charts (countries, month by month) to the report."""
    from . import charts

    t = report["t"]
    for e in report["editions"]:
        e["chart_countries"] = charts.bars(
            [(c, v) for c, v, _ in e["countries"][:10]], f"{t['countries']} — {e['name']}"
        )
        e["chart_trend"] = charts.lines(
            [m for m, _, _ in e["monthly"]],
            [
                (t["views"], [v for _, v, _ in e["monthly"]]),
                (t["abroad_views"], [a for _, _, a in e["monthly"]]),
            ],
            f"{t['trend']} — {e['name']}",
        )
    return {}
