from wagtail.signals import page_published, page_unpublished, post_page_move

from .listing import forget_menus


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_menus, dispatch_uid=f"frontpage-menu-{signal!r}")
