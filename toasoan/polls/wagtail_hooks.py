from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Poll


class PollViewSet(SnippetViewSet):
    model = Poll
    icon = "tasks"
    menu_label = "Bình chọn"
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        "question",
        Column("article", label="Bài viết"),
        Column("total_votes", label="Lượt bình chọn"),
        DateColumn("closes_at", label="Kết thúc lúc"),
    ]
    list_filter = ["is_open"]


register_snippet(PollViewSet)
