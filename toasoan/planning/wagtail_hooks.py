"""The "Kế hoạch" menu of the admin, the dashboard panels (my assignments first, what to chase)
and the story's link to the idea it serves."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from toasoan.core.menus import shown_to
from toasoan.core.text import short_datetime
from toasoan.newsroom.models import ArticlePage

from . import access, admin_views
from .models import Event, Idea
from .plan import my_assignments, to_chase


class PlanViewSet(ViewSet):
    """The meeting screen, ideas, coverages, the printable plan: /admin/ke-hoach/…"""

    name = "planning"
    url_prefix = "ke-hoach"
    icon = "date"
    menu_label = "Họp giao ban"
    menu_order = 10
    menu_item_class = shown_to(None)

    def get_urlpatterns(self):
        v = admin_views
        return [
            path("", v.meeting, name="meeting"),
            path("in/", v.printable, name="print"),
            path("gui-thu/", v.mail_settings, name="mail"),
            path("de-tai/moi/", v.idea_new, name="idea_new"),
            path("de-tai/<int:pk>/", v.idea_detail, name="idea"),
            path("de-tai/<int:pk>/sua/", v.idea_edit, name="idea_edit"),
            path("de-tai/<int:pk>/duyet/", v.idea_approve, name="idea_approve"),
            path("de-tai/<int:pk>/tra-lai/", v.idea_return, name="idea_return"),
            path("de-tai/<int:pk>/gop/", v.idea_merge, name="idea_merge"),
            path("de-tai/<int:pk>/huy/", v.idea_cancel, name="idea_cancel"),
            path("de-tai/<int:pk>/phan-cong/", v.coverage_add, name="coverage_add"),
            path("phan-cong/<int:pk>/", v.coverage_detail, name="coverage"),
            path("phan-cong/<int:pk>/nhan/", v.coverage_accept, name="coverage_accept"),
            path("phan-cong/<int:pk>/tu-choi/", v.coverage_decline, name="coverage_decline"),
            path("phan-cong/<int:pk>/giao-lai/", v.coverage_reassign, name="coverage_reassign"),
            path("su-kien/", v.events, name="events"),
            path("su-kien/xuat.ics", v.events_export, name="events_export"),
            path("su-kien/nhap/", v.events_import, name="events_import"),
            path("su-kien/dia-chi/<int:pk>/doi/", v.feed_renew, name="feed_renew"),
        ]


class NewIdeaMenuViewSet(ViewSet):
    name = "planning_new_menu"
    icon = "plus"
    menu_label = "Đề xuất đề tài"
    menu_order = 20
    menu_item_class = shown_to(access.FILE)

    @cached_property
    def menu_url(self):
        return reverse("planning:idea_new")


class CalendarMenuViewSet(ViewSet):
    name = "planning_calendar_menu"
    icon = "calendar-alt"
    menu_label = "Lịch sự kiện"
    menu_order = 30
    menu_item_class = shown_to(None)

    @cached_property
    def menu_url(self):
        return reverse("planning:events")


class EventViewSet(SnippetViewSet):
    model = Event
    icon = "calendar"
    menu_label = "Sửa sự kiện"
    menu_order = 40
    list_display = [
        "title",
        Column("start", label="Bắt đầu"),
        "location",
        Column("section", label="Chuyên mục"),
    ]
    search_fields = ["title", "location"]


class PlanningGroup(SnippetViewSetGroup):
    menu_label = "Kế hoạch"
    menu_icon = "date"
    menu_order = 150
    items = (PlanViewSet, NewIdeaMenuViewSet, CalendarMenuViewSet, EventViewSet)


register_snippet(PlanningGroup)


# --- the dashboard ----------------------------------------------------------------------------
class MyAssignmentsPanel(Component):
    """First on a writer's dashboard: the coverages given to them, and their returned ideas."""

    name = "my_assignments"
    template_name = "planning/admin/my_assignments.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        returned = Idea.objects.filter(proposed_by=self.user, state=Idea.State.RETURNED)
        return {"coverages": my_assignments(self.user), "returned": list(returned[:20])}


class ChasePanel(Component):
    """The desk's list of what is late or has nobody on it."""

    name = "planning_chase"
    template_name = "planning/admin/chase_panel.html"
    order = 60

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {"chase": to_chase(self.user)}


@hooks.register("construct_homepage_panels")
def add_planning_panels(request, panels):
    panels.append(MyAssignmentsPanel(request.user))
    if request.user.has_perm(access.REVIEW):
        panels.append(ChasePanel(request.user))


@hooks.register("register_page_header_buttons")
def idea_button(page, user, view_name, next_url=None):
    """The story shows which idea it serves (and its deadline)."""
    specific_class = page.specific_class or type(page)
    if not issubclass(specific_class, ArticlePage):
        return
    idea = Idea.objects.filter(article_id=page.pk).only("pk", "deadline").first()
    if idea is None:
        return
    yield Button(
        f"Đề tài · hạn {short_datetime(idea.deadline)}",
        url=reverse("planning:idea", args=[idea.pk]),
        icon_name="date",
        priority=90,
    )
