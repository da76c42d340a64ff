"""`{{ amount|vnd }}` → `1.250.000 đ`; `{{ points|diem }}` → `12,5` (blank for anything else)."""

from decimal import Decimal, InvalidOperation

from django import template

from toasoan.royalties.money import points_text
from toasoan.royalties.money import vnd as vnd_text

register = template.Library()


@register.filter
def vnd(amount):
    return vnd_text(amount) if isinstance(amount, int) else ""


@register.filter
def diem(value):
    try:
        return points_text(Decimal(value))
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
