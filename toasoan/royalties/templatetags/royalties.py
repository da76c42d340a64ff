"""`{{ amount|vnd }}` → `1.250.000 đ`; `{{ points|diem }}` → `12,5`."""

from django import template

from toasoan.royalties.money import points_text
from toasoan.royalties.money import vnd as vnd_text

register = template.Library()


@register.filter
def vnd(amount):
    return vnd_text(amount)


@register.filter
def diem(value):
    return points_text(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
