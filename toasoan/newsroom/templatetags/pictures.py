"""`{% photo_picture photo "row" alt="" loading="lazy" %}`: a photo as one place of the site
shows it, with the renditions and `sizes` of that place (newsroom.pictures), so the browser
picks a file as wide as the photo is shown on the reader's screen, at 1× or 2×.

Only sizes already made are used (newsroom.sizes): a missing one is queued for the task
worker and the picture offers the others meanwhile, or the original when none is made."""

from django import template
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import Picture

from ..pictures import PENDING_SECONDS, PICTURE_SECONDS, SHOWN, identity, pictures
from ..sizes import shown_sizes

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
        renditions, complete = shown_sizes(photo, place.specs)
        if renditions:
            html = Picture(renditions, {"sizes": place.sizes, **attrs}).__html__()
        else:
            html = _original(photo, attrs)
        found = not any(r.file.name == "not-found" for r in renditions.values())
        if photo_key and found:
            # Until the missing sizes are made, kept briefly: the next pages pick them up.
            pictures.put(key, html, PICTURE_SECONDS if complete else PENDING_SECONDS)
            if complete:
                pictures.put(("shown", photo_key), True, PICTURE_SECONDS)
    return mark_safe(html)  # noqa: S308 - Wagtail escapes every attribute


def _original(photo, attrs: dict) -> str:
    """The uploaded photo itself, while none of this place's sizes is made yet."""
    img = {"src": photo.file.url, "width": photo.width, "height": photo.height, **attrs}
    return f"<picture><img{flatatt(img)}></picture>"
