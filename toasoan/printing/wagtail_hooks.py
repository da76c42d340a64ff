"""The "Báo in" menu of the Wagtail admin: /admin/bao-in/…"""

from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSet

from toasoan.core.menus import shown_to

from . import admin_views
from .planning import may_see
from .uses import print_uses


class PrintViewSet(ViewSet):
    name = "printing"
    url_prefix = "bao-in"
    icon = "doc-full"
    menu_label = "Báo in"
    menu_order = 15
    add_to_admin_menu = True
    menu_item_class = shown_to(may_see)

    def get_urlpatterns(self):
        issue = "so/<int:pk>/"
        return [
            path("", admin_views.index, name="index"),
            path("tao/", admin_views.create, name="create"),
            path(issue, admin_views.issue, name="issue"),
            path(f"{issue}dat-bai/", admin_views.place, name="place"),
            path(f"{issue}chan-cho/", admin_views.block, name="block"),
            path(f"{issue}o/<int:slot_id>/", admin_views.slot, name="slot"),
            path(f"{issue}trang/<int:number>/buoc/", admin_views.move, name="move"),
            path(f"{issue}pdf/", admin_views.upload, name="upload"),
            path(f"{issue}tien-do/", admin_views.progress, name="progress"),
            path(f"{issue}gioi-thieu/", admin_views.teaser, name="teaser"),
            path("ban-in/<int:story_id>/", admin_views.version, name="version"),
            path(
                "ban-in/<int:story_id>/khoi-phuc/<int:revision_id>/",
                admin_views.restore,
                name="restore",
            ),
            path("ban-in/<int:story_id>/icml/", admin_views.export_icml, name="icml"),
            path("ban-in/<int:story_id>/anh.zip", admin_views.export_photos, name="photos"),
        ]


@hooks.register("register_admin_viewset")
def register_print_viewset():
    return PrintViewSet()


@hooks.register("toasoan_royalty_uses")
def royalty_uses(**filters):
    """Stories printed on pages sent to the printer, for grading as print use."""
    return print_uses(**filters)
