from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, desk


@hooks.register("register_admin_urls")
def live_admin_urls():
    urls = [
        path("", admin_views.index, name="index"),
        path("<int:blog_id>/", admin_views.blog_desk, name="desk"),
        path("<int:blog_id>/trang-thai/<slug:action>/", admin_views.blog_state, name="state"),
        path("<int:blog_id>/bien-ban/", admin_views.transcript, name="transcript"),
        path("muc/<int:entry_id>/sua/", admin_views.entry_edit, name="entry_edit"),
        path("muc/<int:entry_id>/go/", admin_views.entry_delete, name="entry_delete"),
        path("muc/<int:entry_id>/thanh-bai/", admin_views.entry_to_story, name="entry_story"),
        path("muc/<int:entry_id>/<slug:action>/", admin_views.entry_action, name="entry_action"),
        path("cau-hoi/<int:question_id>/sua/", admin_views.question_edit, name="question_edit"),
        path(
            "cau-hoi/<int:question_id>/<slug:action>/",
            admin_views.question_action,
            name="question_action",
        ),
    ]
    return [path("truc-tiep/", include((urls, "live_admin")))]


class LiveMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return desk.on_desk(request.user)


@hooks.register("register_admin_menu_item")
def live_menu_item():
    return LiveMenuItem("Trực tiếp", reverse("live_admin:index"), icon_name="time", order=250)
