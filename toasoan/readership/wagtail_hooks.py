"""Staff see how often each story was read: Reports → "Lượt đọc"."""

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from toasoan.newsroom.models import ArticlePage

from .counting import WINDOWS, current_hour, flush
from .models import HourlyViews

PERIODS = {"24h": "24 giờ qua", "7d": "7 ngày qua", "all": "Từ trước đến nay"}


def _views_since(since):
    rows = HourlyViews.objects.filter(article=OuterRef("pk"))
    if since is not None:
        rows = rows.filter(hour__gte=current_hour(since))
    return Coalesce(
        Subquery(rows.values("article").annotate(total=Sum("views")).values("total")[:1]), 0
    )


def views_report(request):
    flush()
    period = request.GET.get("khoang", "24h")
    period = period if period in PERIODS else "24h"
    query = request.GET.get("q", "").strip()
    now = timezone.now()
    stories = ArticlePage.objects.live().annotate(
        views_24h=_views_since(now - WINDOWS["24h"]),
        views_7d=_views_since(now - WINDOWS["7d"]),
        views_all=_views_since(None),
    )
    if query:
        stories = stories.filter(title__icontains=query)
    order = {"24h": "-views_24h", "7d": "-views_7d", "all": "-views_all"}[period]
    stories = stories.order_by(order, "-first_published_at")[:100]
    return render(
        request,
        "readership/admin/report.html",
        {
            "stories": stories,
            "period": period,
            "periods": PERIODS,
            "query": query,
            "page_title": "Lượt đọc",
        },
    )


@hooks.register("register_admin_urls")
def readership_admin_urls():
    return [path("reports/luot-doc/", views_report, name="readership_report")]


@hooks.register("register_reports_menu_item")
def readership_menu_item():
    return MenuItem("Lượt đọc", reverse("readership_report"), icon_name="view", order=50)
