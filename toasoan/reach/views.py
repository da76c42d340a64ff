"""The editor-in-chief's readership dashboard, one story's page and the external-information
report, in the Wagtail admin (registered in wagtail_hooks.py). Thin: the numbers come from
stats.py and report.py. No view here runs the rollup (a page that reads must not write):
the beacons, the scheduler or the `flush_views` timer do, and "live now" adds what is still
buffered (stats.live)."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from toasoan.newsroom.models import ArticlePage
from toasoan.readership.models import DIMENSIONS
from toasoan.readership.visitors import COUNTRY_SOURCE

from . import charts, report, stats

PERIODS = {
    "hom-nay": ("Hôm nay", 0),
    "7-ngay": ("7 ngày qua", 6),
    "30-ngay": ("30 ngày qua", 29),
    "1-nam": ("Một năm qua", 364),
}  # stats.WARM_PERIODS: the past days of these are worked out by the rollup timer


def _scope(request: HttpRequest) -> stats.Scope:
    scope = stats.scope_for(request.user)
    if scope is None:
        raise PermissionDenied
    return scope


def _period(request: HttpRequest) -> tuple[str, date, date, str]:
    today = timezone.localdate()
    start_text, end_text = request.GET.get("tu", ""), request.GET.get("den", "")
    if start_text and end_text:
        try:
            start = datetime.strptime(start_text, "%d/%m/%Y").date()
            end = datetime.strptime(end_text, "%d/%m/%Y").date()
            if start <= end:
                return "khoang", start, end, f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
        except ValueError:
            pass
    key = request.GET.get("ky", "7-ngay")
    key = key if key in PERIODS else "7-ngay"
    label, back = PERIODS[key]
    return key, today - timedelta(days=back), today, label


def _csv(name: str, head: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 Vietnamese correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(head)
    writer.writerows(rows)
    return response


def _table(key: str, title: str, head: list[str], rows: list, chart=None) -> dict:
    return {"key": key, "title": title, "head": head, "rows": rows, "chart": chart}


def _dimension_table(dimension: str, rows: list) -> dict:
    """(value, views, visitors) rows of one dimension, with their bar chart."""
    name = DIMENSIONS[dimension]
    return _table(
        dimension,
        name,
        [name, "Lượt đọc", "Người đọc"],
        rows,
        charts.bars([(r[0], r[1]) for r in rows], f"Lượt đọc theo {name.lower()}"),
    )


def _csv_export(request: HttpRequest, tables: list[dict], name: str) -> HttpResponse | None:
    """The table asked for by ?bang=<key> as CSV (a story's title for its cell), None when
    no table is asked for; 404 for a table that does not exist."""
    wanted = request.GET.get("bang")
    if not wanted:
        return None
    for table in tables:
        if table["key"] == wanted:
            rows = [
                [c["title"] if isinstance(c, dict) else c for c in row] for row in table["rows"]
            ]
            return _csv(f"{name}-{wanted}", table["head"], rows)
    raise Http404


@never_cache
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    key, start, end, label = _period(request)
    hourly = stats.hourly_today(scope)
    tables = [
        _table(
            "theo-gio",
            "Hôm nay theo giờ, so với cùng thứ tuần trước",
            ["Giờ", "Hôm nay", "Tuần trước"],
            [(f"{h:02d}:00", now, then) for h, now, then in hourly],
            charts.lines(
                [f"{h:02d}h" for h, _, _ in hourly],
                [
                    ("Hôm nay", [n for _, n, _ in hourly]),
                    ("Cùng thứ tuần trước", [t for *_, t in hourly]),
                ],
                "Lượt đọc theo giờ hôm nay và cùng thứ tuần trước",
            ),
        )
    ]
    top = stats.top_stories(scope, start, end)
    sums = stats.totals(scope, start, end)
    tables.append(
        _table(
            "bai-doc-nhieu",
            "Bài đọc nhiều",
            ["Bài viết", "Ấn bản", "Lượt đọc", "Người đọc", "Đọc TB (giây)", "Đọc hết (%)"],
            [
                (s, s["edition"], s["views"], s["visitors"], s["average"], s["read_through"])
                for s in top["views"]
            ],
        )
    )
    tables.append(
        _table(
            "bai-doc-lau",
            "Bài được đọc lâu nhất (tổng thời gian đọc)",
            ["Bài viết", "Ấn bản", "Tổng thời gian (phút)", "Lượt đọc", "Đọc hết (%)"],
            [
                (s, s["edition"], round(s["seconds"] / 60), s["views"], s["read_through"])
                for s in top["engaged"]
            ],
        )
    )
    pens = top["pens"]
    tables += [
        _table(
            "but-danh",
            "Bút danh được đọc nhiều",
            ["Bút danh", "Lượt đọc", "Người đọc", "Đọc TB (giây)", "Đọc hết (%)"],
            [
                (p["name"], p["views"], p["visitors"], p["average"], p["read_through"])
                for p in pens["views"]
            ],
            charts.bars([(p["name"], p["views"]) for p in pens["views"]], "Lượt đọc theo bút danh"),
        ),
        _table(
            "but-danh-doc-lau",
            "Bút danh được đọc lâu nhất (tổng thời gian đọc)",
            ["Bút danh", "Tổng thời gian (phút)", "Lượt đọc", "Đọc hết (%)"],
            [
                (p["name"], round(p["seconds"] / 60), p["views"], p["read_through"])
                for p in pens["engaged"]
            ],
            charts.bars(
                [(p["name"], round(p["seconds"] / 60)) for p in pens["engaged"]],
                "Tổng thời gian đọc (phút) theo bút danh",
            ),
        ),
    ]
    for slug, title, rows in (
        ("chuyen-muc", "Theo chuyên mục", sums["sections"]),
        ("an-ban", "Theo ấn bản", sums["editions"]),
    ):
        tables.append(
            _table(
                slug,
                title,
                [title.removeprefix("Theo ").capitalize(), "Lượt đọc", "Người đọc"],
                rows,
                charts.bars([(r[0], r[1]) for r in rows], f"Lượt đọc {title.lower()}"),
            )
        )
    tables += [
        _dimension_table(dimension, rows)
        for dimension, rows in stats.breakdowns(scope, start, end).items()
    ]
    if exported := _csv_export(request, tables, f"ban-doc-{start:%Y%m%d}-{end:%Y%m%d}"):
        return exported
    return render(
        request,
        "reach/dashboard.html",
        {
            "page_title": "Bạn đọc",
            "tables": tables,
            "totals": sums["all"],
            "live": _live_context(scope),
            "period_key": key,
            "period_label": label,
            "periods": PERIODS,
            "start": start,
            "end": end,
            "query": request.GET.urlencode(),
            "scope": scope,
            "attribution": COUNTRY_SOURCE,
            "can_report": scope.whole,
        },
    )


def _live_context(scope: stats.Scope) -> dict:
    live = stats.live(scope)
    minutes = [
        f"{timezone.localtime(live['since'] + timedelta(minutes=i)):%H:%M}"
        for i in range(len(live["per_minute"]))
    ]
    return {
        **live,
        "chart": charts.lines(
            minutes,
            [("Lượt đọc mỗi phút", live["per_minute"])],
            "Lượt đọc từng phút trong 30 phút qua",
        ),
    }


@never_cache
def live_panel(request: HttpRequest) -> HttpResponse:
    """The "live now" panel alone: the dashboard's script swaps it in every 15 seconds."""
    scope = _scope(request)
    return render(request, "reach/live.html", {"live": _live_context(scope)})


@never_cache
def story(request: HttpRequest, article_id: int) -> HttpResponse:
    scope = _scope(request)
    page = get_object_or_404(scope.stories(ArticlePage.objects.all()), pk=article_id)
    key, start, end, label = _period(request)
    if key == "7-ngay" and "ky" not in request.GET and page.first_published_at:
        start = max(start - timedelta(days=23), timezone.localtime(page.first_published_at).date())
        label = f"{start:%d/%m/%Y} – {end:%d/%m/%Y}"
    detail = stats.story_detail(page, start, end)
    series = detail["series"]
    tables = [
        _table(
            "theo-ngay",
            "Lượt đọc theo ngày",
            ["Ngày", "Lượt đọc"],
            [(f"{d:%d/%m/%Y}", v) for d, v in series],
            charts.lines(
                [f"{d:%d/%m}" for d, _ in series],
                [("Lượt đọc", [v for _, v in series])],
                f"Lượt đọc theo ngày: {page.title}",
            ),
        )
    ]
    tables += [_dimension_table(d, rows) for d, rows in detail["parts"].items()]
    if exported := _csv_export(request, tables, f"bai-{page.pk}"):
        return exported
    return render(
        request,
        "reach/story.html",
        {
            "page_title": f"Bạn đọc: {page.title}",
            "story": page,
            "detail": detail,
            "tables": tables,
            "period_label": label,
            "query": request.GET.urlencode(),
            "attribution": COUNTRY_SOURCE,
        },
    )


REPORT_KINDS = {
    "thang": "Tháng",
    "quy": "Quý",
    "nam": "Năm",
    "nam-den-nam": "Từ năm đến năm",
    "khoang": "Từ ngày đến ngày",
}


@never_cache
def external_report(request: HttpRequest) -> HttpResponse:
    """Báo cáo thông tin đối ngoại: page, .xlsx (?dinh-dang=xlsx) and PDF (?dinh-dang=pdf)."""
    if not _scope(request).whole:
        raise PermissionDenied
    today = timezone.localdate()
    kind = request.GET.get("loai", "nam")
    value = request.GET.get("gia-tri", str(today.year))
    until = request.GET.get("den", "")
    language = "en" if request.GET.get("ngon-ngu") == "en" else "vi"
    period = report.parse_period(kind, value, until)
    context = {
        "page_title": "Báo cáo thông tin đối ngoại",
        "kinds": REPORT_KINDS,
        "kind": kind,
        "value": value,
        "until": until,
        "language": language,
        "error": "" if period else "Kỳ báo cáo không hợp lệ: xem cách ghi bên dưới ô nhập.",
        "query": request.GET.urlencode(),
    }
    if period:
        data = report.kept(period, language)
        name = f"bao-cao-doi-ngoai-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
        out = request.GET.get("dinh-dang")
        if out == "xlsx":
            response = HttpResponse(
                report.workbook(data),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        report.report_charts(data)
        if out == "pdf":
            response = HttpResponse(report.pdf(data), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return response
        context["report"] = data
    return render(request, "reach/report.html", context)
