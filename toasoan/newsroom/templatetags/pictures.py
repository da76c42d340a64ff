"""`{% photo_picture photo "row" alt="" loading="lazy" %}`: a photo as one place of the site
shows it, with the renditions and `sizes` of that place (newsroom.pictures), so the browser
picks a file as wide as the photo is shown on the reader's screen, at 1× or 2×."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from ..pictures import PICTURE_SECONDS, SHOWN, identity, pictures

register = template.Library()


@register.simple_tag
def photo_picture(photo, shown: str, **attrs) -> SafeString:
    if not photo:
        return mark_safe("")
    place = SHOWN[shown]
    photo_key = identity(photo) if photo.pk else None
    key = (photo_key, shown, tuple(sorted(attrs.items())))
    html = pictures.get(key) if photo_key else None
    if html is None:
        renditions = get_renditions_or_not_found(photo, place.specs)
        html = Picture(renditions, {"sizes": place.sizes, **attrs}).__html__()
        if photo_key and not any(r.file.name == "not-found" for r in renditions.values()):
            pictures.put(key, html, PICTURE_SECONDS)
            pictures.put(("shown", photo_key), True, PICTURE_SECONDS)
    return mark_safe(html)  # noqa: S308 - Wagtail escapes every attribute
