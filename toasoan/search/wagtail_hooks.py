"""The synonym list in the admin (Cài đặt → Từ đồng nghĩa khi tìm kiếm)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SearchSynonym


class SearchSynonymViewSet(SnippetViewSet):
    model = SearchSynonym
    icon = "search"
    menu_label = "Từ đồng nghĩa khi tìm kiếm"
    menu_name = "tu-dong-nghia"
    add_to_settings_menu = True
    list_display = ["__str__", "note", "enabled", "updated_at"]
    list_filter = ["enabled"]
    search_fields = ["terms", "note"]
    copy_view_enabled = False
    search_backend_name = None  # a short list: searched in the database as typed


register_snippet(SearchSynonymViewSet)
