from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from toasoan.core import views as core_views
from toasoan.frontpage import views as frontpage_views
from toasoan.newsroom import admin_views as newsroom_admin

urlpatterns = [
    path("admin/jsi18n/", core_views.admin_javascript_catalog),
    path("favicon.ico", frontpage_views.favicon, name="favicon"),
    path("", include("toasoan.accounts.urls")),
    path(
        "admin/pages/workflow/action/<int:page_id>/<slug:action_name>/<int:task_state_id>/",
        newsroom_admin.workflow_action,
    ),
    path("admin/pages/<int:parent_page_id>/add_subpage/", newsroom_admin.add_subpage),
    path("admin/reports/site-history/", newsroom_admin.audit_log),
    path("admin/reports/site-history/results/", newsroom_admin.audit_log_results),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("toasoan.royalties.urls")),
    path("", include("toasoan.ingest.urls")),
    path("", include("toasoan.api.urls")),
    path("", include("toasoan.printing.urls")),
    path("", include("toasoan.planning.urls")),
    re_path(
        r"^(?:[-\w]+/)*[-\w]*?(?P<pk>\d{1,18})\.html$",
        frontpage_views.article,
        name="article",
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public pages of every edition: Vietnamese unprefixed, English under /en/ (toasoan.editions).
urlpatterns += i18n_patterns(
    path("", include("toasoan.search.urls")),
    path("", include("toasoan.syndication.urls")),
    path("", include("toasoan.comments.urls")),
    path("", include("toasoan.readership.urls")),
    path("", include("toasoan.polls.urls")),
    path("", include("toasoan.live.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "toasoan.frontpage.errors.not_found"
handler500 = "toasoan.frontpage.errors.server_error"
