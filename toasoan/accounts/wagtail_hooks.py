"""The admin as the newsroom's own workspace: avatars from our server, help in Vietnamese."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from wagtail import hooks
from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.menu import MenuItem
from wagtail.models import Site
from wagtail.sites.views import IndexView as SitesIndex

from . import avatars, guide, views

WAGTAIL_GUIDE_ITEMS = ("editor-guide", "whats-new-in-wagtail-")  # English, on guide.wagtail.org


@hooks.register("register_admin_urls")
def accounts_admin_urls():
    return [
        path("anh-dai-dien/<int:user_id>.svg", views.avatar, name="accounts_avatar"),
        path("huong-dan/", views.editors_guide, name="accounts_guide"),
        path("huong-dan/anh/<str:name>", views.editors_guide_image, name="accounts_guide_image"),
    ]


@hooks.register("insert_global_admin_js")
def accessible_names():
    """Vietnamese names for the tag box, rich-text editors and dialogs Wagtail leaves unnamed."""
    return format_html('<script src="{}" defer></script>', static("accounts/accessible-names.js"))


@hooks.register("get_avatar_url")
def avatar_from_our_server(user, size):
    if user is None or user.pk is None:
        return None  # Wagtail's own default picture, from our static files
    return avatars.uploaded_photo_url(user) or reverse("accounts_avatar", args=[user.pk])


@hooks.register("register_help_menu_item")
def vietnamese_guide_menu_item():
    return MenuItem(
        guide.TITLE, reverse("accounts_guide"), name="huong-dan", icon_name="help", order=900
    )


@hooks.register("construct_help_menu")
def no_english_guide(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(WAGTAIL_GUIDE_ITEMS)]


def _site_columns_in_vietnamese() -> None:
    """Wagtail heads these Sites columns with their field names ("Port", "Site name", "Root
    page"), which no catalogue translates; their fields' verbose names are translated."""
    for column in SitesIndex.columns:
        if column.name in ("port", "site_name", "root_page"):
            column.label = capfirst(Site._meta.get_field(column.name).verbose_name)


_site_columns_in_vietnamese()


def _whole_name_in_one_field() -> None:
    """Staff names are written whole, in Vietnamese order, in the first-name field ("Nguyễn
    Minh Hải", as the demo's accounts are); Wagtail's account form also demanded a last name,
    so such a staff member could not save their account, not even a new profile photo."""
    NameEmailForm.base_fields["last_name"].required = False


_whole_name_in_one_field()
