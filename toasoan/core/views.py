from django.views.i18n import JavaScriptCatalog
from wagtail.admin.localization import get_localized_response

# Wagtail's admin scripts, with our Vietnamese catalogue merged over Wagtail's own (later wins).
_admin_js_catalog = JavaScriptCatalog.as_view(packages=["wagtail.admin", "toasoan.core"])


def admin_javascript_catalog(request, *args, **kwargs):
    return get_localized_response(_admin_js_catalog, request, *args, **kwargs)
