from django import template

register = template.Library()


@register.filter
def so(value) -> str:
    """12345 → 12.345 (Vietnamese thousands separator); other values as they are."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return f"{value:,}".replace(",", ".")


@register.filter
def phut(seconds) -> str:
    return so(round((seconds or 0) / 60))
