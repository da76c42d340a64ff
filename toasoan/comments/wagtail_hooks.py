"""The moderation queue and its tools in the Wagtail admin (group "Kiểm duyệt bình luận")."""

from urllib.parse import urlencode

import django_filters
from django.db.models import Q
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.site_summary import SummaryItem
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn, Table
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.widgets import Button
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from toasoan.core.menus import shown_to
from toasoan.newsroom.models import ArticlePage

from . import admin_views, moderation
from .models import ArticleCommentState, BannedWord, BlockedSender, Comment, Status

STAFF_REPLY_HELP = (
    "Lời đáp công khai của tòa soạn, hiện ngay dưới bình luận của bạn đọc, mang tên tờ báo"
    " và nhãn “Tòa soạn”. Viết bằng “Trả lời” trong hàng chờ."
)


class CommentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label="Trạng thái", choices=Status.choices)
    article = django_filters.ModelChoiceFilter(
        label="Bài viết",
        queryset=lambda request: (
            ArticlePage.objects.filter(reader_comments__isnull=False)
            .distinct()
            .order_by("-first_published_at")
        ),
    )
    flagged = django_filters.BooleanFilter(label="Bị giữ để xem kỹ", method="filter_flagged")
    staff = django_filters.BooleanFilter(
        label="Phản hồi của tòa soạn", field_name="is_staff_reply", help_text=STAFF_REPLY_HELP
    )
    email = django_filters.CharFilter(label="Email", field_name="email", lookup_expr="iexact")
    ip = django_filters.CharFilter(label="Địa chỉ IP", field_name="ip_address")
    # Not "contains": a form field of that name hides the form's DOM contains() method, which
    # broke Wagtail's filter and ⋯ menu scripts on this page.
    co_chu = django_filters.CharFilter(label="Có chữ", method="filter_text")

    class Meta:
        model = Comment
        fields = []

    def filter_flagged(self, queryset, name, value):
        return queryset.exclude(flag="") if value else queryset.filter(flag="")

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(text__icontains=value) | Q(name__icontains=value))


def queue_url(request) -> str:
    """The list as the moderator sees it now (filters, page), also when Wagtail's filters
    fetched only its results: where every action from it comes back to."""
    query = request.GET.copy()
    query.pop("_w_filter_fragment", None)
    url = reverse("wagtailsnippets_comments_comment:list")
    return f"{url}?{query.urlencode()}" if query else url


class QueueTable(Table):
    """Rows a moderator can land on (`#binh-luan-<id>`) and move between with the keys."""

    def get_row_attrs(self, instance):
        return {
            **super().get_row_attrs(instance),
            "id": f"binh-luan-{instance.pk}",
            "data-comment-row": "",
            "tabindex": "-1",
        }


class ModerateColumn(BaseColumn):
    """One-click Duyệt / Từ chối (or Khôi phục) per row: plain POST forms, each carrying the
    list's address and the row to land on next (the one below, or above for the last)."""

    cell_template_name = "comments/admin/queue_actions_cell.html"

    class Media:
        css = {"all": ["comments/moderation.css"]}
        js = ["comments/moderation.js"]

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        rows, index = parent_context["table"].data, parent_context["row"].index
        neighbour = rows[index + 1] if index + 1 < len(rows) else rows[index - 1] if index else None
        request = context["request"]
        context.update(
            focus=neighbour.pk if neighbour else "",
            back_url=queue_url(request),
            csrf_token=get_token(request),
        )
        return context


# The ⋯ menu's own tools on a row: who may, label, where, icon, place in the menu.
ROW_TOOLS = (
    ("comments.change_comment", "Trả lời", "comments_admin:reply", "comment", 12),
    ("comments.add_blockedsender", "Chặn người gửi", "comments_admin:block", "cross", 40),
)


class CommentIndexView(IndexView):
    table_class = QueueTable

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("article")

    def get_edit_url(self, instance):
        """Opened from the list, the edit form saves back to it (filters and page kept)."""
        return super().get_edit_url(instance) + "?" + urlencode({"next": queue_url(self.request)})

    def _get_title_column(self, *args, **kwargs):
        column = super()._get_title_column(*args, **kwargs)
        column.label = "Người gửi"
        return column

    @cached_property
    def columns(self):
        columns = super().columns
        if self.request.user.has_perm("comments.change_comment"):
            columns.append(ModerateColumn("moderate", label="Kiểm duyệt"))
        return columns

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        back = "?" + urlencode({"next": queue_url(self.request)})
        for perm, label, url_name, icon, priority in ROW_TOOLS:
            if user.has_perm(perm):
                url = reverse(url_name, args=[instance.pk]) + back
                buttons.append(Button(label, url=url, icon_name=icon, priority=priority))
        story_url = instance.article.url if instance.article.live else None
        if story_url:
            buttons.append(
                Button("Xem bài viết", url=story_url, icon_name="link-external", priority=50)
            )
        return buttons


class CommentEditView(EditView):
    def get_success_url(self):
        return get_valid_next_url_from_request(self.request) or super().get_success_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if back := get_valid_next_url_from_request(self.request):
            context["action_url"] += "?" + urlencode({"next": back})
        return context


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Hàng chờ duyệt"
    index_view_class = CommentIndexView
    edit_view_class = CommentEditView
    index_template_name = "comments/admin/queue.html"
    filterset_class = CommentFilterSet
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "name",  # the title column, with the row's ⋯ menu (Trả lời, Chặn người gửi…)
        Column("excerpt", label="Nội dung"),
        Column("article", label="Bài viết"),
        Column("status_label", label="Trạng thái"),
        DateColumn("created_at", label="Gửi lúc"),
    ]
    list_export = ["created_at", "article", "name", "text", "status"]
    inspect_view_fields = [
        "article",
        "parent",
        "name",
        "email",
        "text",
        "status",
        "flag",
        "is_staff_reply",
        "ip_address",
        "user_agent",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]
    panels = [
        FieldPanel("name", help_text="Sửa để bỏ thông tin cá nhân (số điện thoại, địa chỉ…)."),
        FieldPanel("text", help_text="Sửa để bỏ thông tin cá nhân; không thêm ý của tòa soạn."),
        FieldRowPanel(
            [FieldPanel("status"), FieldPanel("is_staff_reply", help_text=STAFF_REPLY_HELP)]
        ),
        FieldPanel("flag"),
    ]

    @cached_property
    def menu_url(self):
        return super().menu_url + "?status=pending"


class BlockedSenderViewSet(SnippetViewSet):
    model = BlockedSender
    icon = "cross"
    menu_label = "Người gửi bị chặn"
    list_display = ["value", "kind", "reason", DateColumn("created_at", label="Chặn lúc")]
    list_filter = ["kind"]
    panels = [FieldPanel("kind"), FieldPanel("value"), FieldPanel("reason")]


class BannedWordViewSet(SnippetViewSet):
    model = BannedWord
    icon = "warning"
    menu_label = "Từ cấm"
    list_display = ["word"]
    panels = [FieldPanel("word")]


class PersonalDataViewSet(ViewSet):
    name = "binh-luan-du-lieu-ca-nhan"
    icon = "user"
    menu_label = "Dữ liệu cá nhân"

    menu_item_class = shown_to("comments.delete_comment")

    def get_urlpatterns(self):
        return [path("", admin_views.personal_data, name="index")]


class CommentsGroup(SnippetViewSetGroup):
    menu_label = "Bình luận"
    menu_icon = "comment"
    menu_order = 250
    items = (CommentViewSet, BlockedSenderViewSet, BannedWordViewSet, PersonalDataViewSet)


register_snippet(CommentsGroup)


# --- bulk approve / reject / spam -----------------------------------------------------------
class ModerateBulkAction(SnippetBulkAction):
    models = [Comment]
    status = Status.APPROVED
    template_name = "comments/admin/confirm_bulk.html"
    include_flagged = True

    def check_perm(self, obj):
        return self.request.user.has_perm("comments.change_comment")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": self}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        done, skipped = moderation.moderate(
            objects, cls.status, user, include_flagged=cls.include_flagged
        )
        return done, skipped

    def get_execution_context(self):
        return {"user": self.request.user}

    def get_success_message(self, num_parent_objects, num_child_objects):
        message = f"{self.done_message}: {num_parent_objects} bình luận."
        if num_child_objects:
            message += (
                f" {num_child_objects} bình luận bị giữ để xem kỹ chưa được duyệt:"
                " hãy mở từng bình luận để duyệt."
            )
        return message


class ApproveBulkAction(ModerateBulkAction):
    display_name = "Duyệt"
    action_type = "approve"
    aria_label = "Duyệt các bình luận đã chọn"
    action_priority = 10
    status = Status.APPROVED
    include_flagged = False  # held comments are approved one by one, after a careful look
    done_message = "Đã duyệt"


class RejectBulkAction(ModerateBulkAction):
    display_name = "Từ chối"
    action_type = "reject"
    aria_label = "Từ chối các bình luận đã chọn"
    action_priority = 20
    status = Status.REJECTED
    done_message = "Đã từ chối"


class SpamBulkAction(ModerateBulkAction):
    display_name = "Spam"
    action_type = "spam"
    aria_label = "Đánh dấu spam các bình luận đã chọn"
    action_priority = 25
    status = Status.SPAM
    classes = {"serious"}
    done_message = "Đã đánh dấu spam"


for action in (ApproveBulkAction, RejectBulkAction, SpamBulkAction):
    hooks.register("register_bulk_action", action)


# --- dashboard, page header, extra admin URLs ---------------------------------------------------
class PendingCommentsSummaryItem(SummaryItem):
    order = 250

    def get_context_data(self, parent_context):
        return {"pending": moderation.pending_count(), "url": CommentViewSet().menu_url}

    def render_html(self, parent_context=None):
        return render_to_string(
            "comments/admin/summary_item.html", self.get_context_data(parent_context)
        )

    def is_shown(self):
        return self.request.user.has_perm("comments.change_comment")


@hooks.register("construct_homepage_summary_items")
def pending_comments_summary(request, items):
    items.append(PendingCommentsSummaryItem(request))


@hooks.register("register_page_header_buttons")
def comments_switch_button(page, user, view_name, next_url=None):
    if not issubclass(page.specific_class or type(page), ArticlePage):
        return
    if not (page.permissions_for_user(user).can_edit() or user.has_perm("comments.change_comment")):
        return
    closed = ArticleCommentState.objects.filter(pk=page.pk, closed=True).exists()
    yield Button(
        "Mở lại bình luận" if closed else "Đóng bình luận",
        url=reverse("comments_admin:toggle_closed", args=[page.pk]),
        icon_name="comment",
        priority=90,
    )


@hooks.register("register_admin_urls")
def comments_admin_urls():
    urls = [
        path("<int:pk>/tra-loi/", admin_views.reply, name="reply"),
        path("<int:pk>/chan/", admin_views.block, name="block"),
        path("<int:pk>/kiem-duyet/", admin_views.moderate, name="moderate"),
        path("bai/<int:page_id>/dong-mo/", admin_views.toggle_closed, name="toggle_closed"),
    ]
    return [path("binh-luan/", include((urls, "comments_admin")))]
