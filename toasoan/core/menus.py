"""Admin menu items that only some staff see."""

from collections.abc import Callable

from wagtail.admin.menu import MenuItem


def shown_to(who: str | Callable | None) -> type[MenuItem]:
    """A MenuItem class shown to holders of a permission (`"app.codename"`), to users a
    function accepts, or (None) to every staff member: usable as a ViewSet's
    `menu_item_class` or called like MenuItem itself."""

    def is_shown(self, request) -> bool:
        if who is None:
            return True
        if isinstance(who, str):
            return request.user.has_perm(who)
        return bool(who(request.user))

    return type("ShownToMenuItem", (MenuItem,), {"is_shown": is_shown})
