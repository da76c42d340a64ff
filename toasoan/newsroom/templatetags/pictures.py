"""`{% photo_picture photo "row" alt="" loading="lazy" %}`: a photo as one place of the site
shows it, with the renditions and `sizes` of that place (newsroom.pictures), so the browser
picks a file as wide as the photo is shown on the reader's screen, at 1× or 2×."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from ..pictures import SHOWN

register = template.Library()


@register.simple_tag
def photo_picture(photo, shown: str, **attrs) -> SafeString:
    if not photo:
        return mark_safe("")
    place = SHOWN[shown]
    renditions = get_renditions_or_not_found(photo, place.specs)
    return mark_safe(Picture(renditions, {"sizes": place.sizes, **attrs}).__html__())  # noqa: S308 - Wagtail escapes every attribute
