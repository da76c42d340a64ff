"""The "Nhuận bút" menu of the Wagtail admin, its audit-log actions and shortcuts."""

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from toasoan.core.menus import shown_to
from toasoan.newsroom.models import ArticlePage

from . import admin_views
from .access import GRADE
from .grading import ungraded_stories
from .models import Department, Regulation
from .money import vnd


class LedgerViewSet(ViewSet):
    """Months, their ledgers, grading and exports: /admin/nhuan-but/…"""

    name = "royalties"
    url_prefix = "nhuan-but"
    icon = "table"
    menu_label = "Sổ nhuận bút"
    menu_order = 10
    menu_item_class = shown_to(None)  # everyone sees at least their own lines

    def get_urlpatterns(self):
        month = "<str:key>"
        return [
            path("", admin_views.index, name="index"),
            path("cho-cham/", admin_views.queue, name="queue"),
            path("cham/<int:page_id>/", admin_views.grade, name="grade"),
            path("cham/<int:page_id>/huy/", admin_views.ungrade, name="ungrade"),
            path("cham-su-dung/<slug:key>/", admin_views.grade_use, name="grade_use"),
            path("cham-su-dung/<slug:key>/huy/", admin_views.ungrade_use, name="ungrade_use"),
            path(
                "dieu-chinh/<int:pk>/xoa/",
                admin_views.delete_adjustment,
                name="delete_adjustment",
            ),
            path(f"{month}/", admin_views.month_detail, name="month"),
            path(f"{month}/thiet-lap/", admin_views.configure, name="configure"),
            path(f"{month}/khoa-so/", admin_views.lock, name="lock"),
            path(f"{month}/dieu-chinh/", admin_views.adjust, name="adjust"),
            path(
                f"{month}/bang-thanh-toan.xlsx",
                admin_views.export,
                {"fmt": "xlsx"},
                name="export_xlsx",
            ),
            path(
                f"{month}/bang-thanh-toan.csv",
                admin_views.export,
                {"fmt": "csv"},
                name="export_csv",
            ),
        ]


class QueueMenuViewSet(ViewSet):
    """A menu entry for the grading queue (its URL belongs to LedgerViewSet)."""

    name = "royalties_queue_menu"
    icon = "tasks"
    menu_label = "Bài chờ chấm"
    menu_order = 20
    menu_item_class = shown_to(GRADE)

    @cached_property
    def menu_url(self):
        return reverse("royalties:queue")


class RegulationViewSet(SnippetViewSet):
    model = Regulation
    icon = "doc-full"
    menu_label = "Quy chế nhuận bút"
    menu_order = 30
    list_display = [
        "name",
        Column("valid_from", label="Áp dụng từ"),
        Column("point_value_text", label="Giá trị một điểm"),
        Column("example_label", label="Ghi chú"),
    ]
    copy_view_enabled = True
    inspect_view_enabled = True  # accounting and the editor-in-chief read it
    inspect_view_fields = [
        "name",
        "valid_from",
        "point_value",
        "withholding_rate",
        "withholding_threshold",
        "is_example",
        "note",
        "genres",
        "multipliers",
    ]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = "Phòng ban"
    menu_order = 40
    list_display = ["name", Column("member_count", label="Số thành viên")]
    inspect_view_enabled = True
    inspect_view_fields = ["name", "members"]


class RoyaltiesGroup(SnippetViewSetGroup):
    menu_label = "Nhuận bút"
    menu_icon = "table"
    menu_order = 270
    items = (LedgerViewSet, QueueMenuViewSet, RegulationViewSet, DepartmentViewSet)


register_snippet(RoyaltiesGroup)


# --- the audit log ------------------------------------------------------------------------------
def _graded(d: dict) -> str:
    return (
        f"Chấm “{d.get('title', '')}”: {d.get('genre', '')}, {d.get('points', '')} điểm "
        f"× {d.get('factor', '1')}, kỳ {d.get('month', '')}; chia: "
        + "; ".join(d.get("shares", []))
    )


def _configured(d: dict) -> str:
    cap = d.get("fund_cap")
    return (
        f"Kỳ {d.get('month', '')}: giá trị một điểm {vnd(d.get('point_value'))}, quỹ "
        f"{vnd(cap) if cap is not None else 'không giới hạn'}, quy chế "
        f"{d.get('regulation', '')}"
    )


def _adjusted(d: dict) -> str:
    return (
        f"Điều chỉnh {vnd(d.get('amount'))} cho {d.get('person', '')} "
        f"({d.get('pen_name', '')}), kỳ {d.get('corrects', '')}, chi trong kỳ "
        f"{d.get('month', '')}: {d.get('reason', '')}"
    )


# Each action of the ledger: its label in the audit log, and its message from the entry's data.
LOG_ACTIONS = {
    "royalties.grade": ("Chấm nhuận bút", _graded),
    "royalties.regrade": ("Sửa chấm nhuận bút", lambda d: "Sửa: " + _graded(d)),
    "royalties.ungrade": (
        "Huỷ chấm nhuận bút",
        lambda d: f"Huỷ phần chấm của “{d.get('title', '')}” (kỳ {d.get('month', '')})",
    ),
    "royalties.configure": ("Thiết lập kỳ nhuận bút", _configured),
    "royalties.lock": (
        "Duyệt và khoá sổ nhuận bút",
        lambda d: f"Khoá sổ kỳ {d.get('month', '')}: tổng chi {d.get('total_text', '')}",
    ),
    "royalties.adjust": ("Lập dòng điều chỉnh nhuận bút", _adjusted),
    "royalties.unadjust": (
        "Xoá dòng điều chỉnh nhuận bút",
        lambda d: f"Xoá dòng điều chỉnh {vnd(d.get('amount'))} (kỳ {d.get('month', '')})",
    ),
    "royalties.export": (
        "Xuất bảng thanh toán nhuận bút",
        lambda d: f"Xuất kỳ {d.get('month', '')} ({d.get('format', '')}): {vnd(d.get('total'))}",
    ),
}


class LedgerAction(LogFormatter):
    """How the audit log shows one action of the ledger: subclassed per action of `LOG_ACTIONS`
    (Wagtail registers a class)."""

    def format_message(self, log_entry):
        return self.describe(log_entry.data)


@hooks.register("register_log_actions")
def register_royalty_log_actions(actions):
    for action, (label, describe) in LOG_ACTIONS.items():
        attrs = {"label": label, "describe": staticmethod(describe)}
        actions.register_action(action)(type("LedgerAction", (LedgerAction,), attrs))


# --- shortcuts -----------------------------------------------------------------------------------
class UngradedSummaryItem(SummaryItem):
    order = 260

    def render_html(self, parent_context=None):
        return render_to_string(
            "royalties/admin/summary_item.html",
            {"count": ungraded_stories().count(), "url": reverse("royalties:queue")},
        )

    def is_shown(self):
        return self.request.user.has_perm(GRADE)


@hooks.register("construct_homepage_summary_items")
def ungraded_summary(request, items):
    items.append(UngradedSummaryItem(request))


@hooks.register("register_page_header_buttons")
def grade_button(page, user, view_name, next_url=None):
    specific_class = page.specific_class or type(page)
    if not issubclass(specific_class, ArticlePage) or not page.first_published_at:
        return
    if not user.has_perm(GRADE):
        return
    yield Button(
        "Chấm nhuận bút",
        url=reverse("royalties:grade", args=[page.pk]),
        icon_name="table",
        priority=95,
    )
