from django import template
from django.urls import reverse

from .. import counting

register = template.Library()


@register.inclusion_tag("readership/beacon.html")
def view_beacon(page) -> dict:
    """The script that counts a view once the page has loaded (the page itself stays cacheable)."""
    return {"url": reverse("readership:beacon", args=[page.pk])}


@register.inclusion_tag("readership/most_read.html")
def most_read_rails(page, layout: str = "rail") -> dict:
    """ "Đọc nhiều" in the last 24 hours and 7 days, for the home page or a section."""
    data = counting.rails(page.path)
    return {"day": data["24h"], "week": data["7d"], "layout": layout, "scope": page.pk}
