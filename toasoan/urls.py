from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from toasoan.core import views as core_views
from toasoan.frontpage import views as frontpage_views

urlpatterns = [
    path("admin/jsi18n/", core_views.admin_javascript_catalog),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    re_path(
        r"^(?:[-\w]+/)*[-\w]*?(?P<pk>\d{1,18})\.html$",
        frontpage_views.article,
        name="article",
    ),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "toasoan.frontpage.errors.not_found"
handler500 = "toasoan.frontpage.errors.server_error"
