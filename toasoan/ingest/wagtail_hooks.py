"""The "Nhập liệu" admin menu: Tin nguồn (editors), Nguồn tin and Nhập kho bài (administrators)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from toasoan.core.menus import shown_to

from . import admin_views
from .models import WireItem, WireSource


class AdministratorsPolicy(ModelPermissionPolicy):
    """Wire sources are run by administrators (the "Quản trị" group) and superusers."""

    def user_has_permission(self, user, action):
        return admin_views.is_ingest_admin(user) or super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return admin_views.is_ingest_admin(user) or super().user_has_any_permission(user, actions)


register_permission_policy(WireSource, AdministratorsPolicy(WireSource), exact_class=True)


class WireSourceViewSet(ModelViewSet):
    model = WireSource
    name = "nguon-tin"
    icon = "rss"
    menu_label = "Nguồn tin"
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "name",
        "credit",
        Column("get_kind_display", label="Loại"),
        Column("health", label="Tình trạng"),
        DateColumn("last_ok_at", label="Lấy được lần cuối"),
    ]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("credit")]),
        FieldPanel("kind"),
        FieldPanel("url"),
        FieldRowPanel(
            [FieldPanel("interval_minutes"), FieldPanel("timeout_seconds"), FieldPanel("active")]
        ),
    ]
    form_fields = ["name", "credit", "kind", "url", "interval_minutes", "timeout_seconds", "active"]


wire_sources = WireSourceViewSet()


@hooks.register("register_admin_viewset")
def register_wire_sources():
    return wire_sources


@hooks.register("register_admin_menu_item")
def ingest_menu():
    is_admin, wires = admin_views.is_ingest_admin, admin_views.can_see_wires
    items = [
        ("Tin nguồn", reverse("ingest_admin:wire_queue"), wires, "list-ul"),
        ("Nguồn tin", reverse(wire_sources.get_url_name("index")), is_admin, "link"),
        ("Nhập kho bài", reverse("ingest_admin:import_start"), is_admin, "download"),
    ]
    menu = Menu(
        items=[
            shown_to(check)(label, url, icon_name=icon, order=100 * n)
            for n, (label, url, check, icon) in enumerate(items, start=1)
        ]
    )
    return SubmenuMenuItem("Nhập liệu", menu, icon_name="download", name="nhap-lieu", order=260)


@hooks.register("register_admin_urls")
def ingest_admin_urls():
    urls = [
        path("tin-nguon/", admin_views.wire_queue, name="wire_queue"),
        path("tin-nguon/<int:pk>/", admin_views.wire_item, name="wire_item"),
        path("nhap-kho/", admin_views.import_start, name="import_start"),
        path("nhap-kho/<int:pk>/", admin_views.import_run, name="import_run"),
        path(
            "nhap-kho/<int:pk>/tien-do.json",
            admin_views.import_run_status,
            name="import_run_status",
        ),
    ]
    return [path("nhap-lieu/", include((urls, "ingest_admin")))]


class NewWiresSummaryItem(SummaryItem):
    """Dashboard: how many agency stories wait in the queue."""

    order = 260
    template_name = "ingest/admin/summary_item.html"

    def get_context_data(self, parent_context):
        return {"new": WireItem.objects.filter(status=WireItem.Status.NEW).count()}

    def is_shown(self):
        return admin_views.can_see_wires(self.request.user)


@hooks.register("construct_homepage_summary_items")
def new_wires_summary(request, items):
    items.append(NewWiresSummaryItem(request))
