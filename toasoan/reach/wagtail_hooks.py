"""The readership dashboard ("Bạn đọc") and the external-information report in the admin:
the editor-in-chief and managing editor see the whole paper, section editors their sections
(stats.scope_for); the report is for the whole paper only."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import stats, views


@hooks.register("register_admin_urls")
def reach_admin_urls():
    return [
        path("ban-doc/", views.dashboard, name="reach_dashboard"),
        path("ban-doc/truc-tiep/", views.live_panel, name="reach_live"),
        path("ban-doc/bai/<int:article_id>/", views.story, name="reach_story"),
        path("ban-doc/bao-cao-doi-ngoai/", views.external_report, name="reach_report"),
    ]


class ScopedMenuItem(MenuItem):
    def __init__(self, *args, whole_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.whole_only = whole_only

    def is_shown(self, request) -> bool:
        scope = stats.scope_for(request.user)
        return scope is not None and (scope.whole or not self.whole_only)


@hooks.register("register_admin_menu_item")
def reach_menu_item():
    return ScopedMenuItem("Bạn đọc", reverse("reach_dashboard"), icon_name="view", order=250)


@hooks.register("register_reports_menu_item")
def report_menu_item():
    return ScopedMenuItem(
        "Báo cáo thông tin đối ngoại",
        reverse("reach_report"),
        icon_name="doc-full",
        order=60,
        whole_only=True,
    )
