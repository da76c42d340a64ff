"""Partners' API keys in the Wagtail admin (Cài đặt → Khoá API), for administrators."""

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ApiClient


class ApiClientViewSet(SnippetViewSet):
    model = ApiClient
    icon = "key"
    menu_label = "Khoá API"
    menu_name = "api-clients"
    add_to_settings_menu = True
    list_display = ["name", "requests_per_minute", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    search_backend_name = None  # plain database filtering: a handful of partners
    panels = [
        FieldPanel("name"),
        FieldPanel("key"),
        FieldRowPanel([FieldPanel("requests_per_minute"), FieldPanel("is_active")]),
        FieldPanel("contact_email"),
        FieldPanel("notes"),
    ]


register_snippet(ApiClientViewSet)
