from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from toasoan.editions.homes import edition_home_id

from .listing import menu


def section_menu(request):
    """The section menu for public pages; computed only if a template asks for it."""

    def sections():
        site = Site.find_for_request(request)
        return menu(edition_home_id(site.root_page_id)) if site else []

    return {"menu_sections": SimpleLazyObject(sections)}
