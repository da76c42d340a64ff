"""The API's cached site map follows the page tree (newsroom knows nothing of us)."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from .stories import forget_site_map


def connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(forget_site_map, dispatch_uid=f"api-site-map-{signal!r}")
    post_delete.connect(forget_site_map, sender="newsroom.SectionPage", dispatch_uid="api-del")
    # Restricted (password / sign-in) sections leave the API the moment they are restricted.
    for signal in (post_save, post_delete):
        signal.connect(
            forget_site_map,
            sender="wagtailcore.PageViewRestriction",
            dispatch_uid=f"api-restriction-{signal!r}",
        )
