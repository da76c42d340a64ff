from django import template

from toasoan.core.text import dateline, short_datetime

from .. import listing

register = template.Library()

register.filter("short_datetime", short_datetime)
register.filter("dateline", dateline)


@register.inclusion_tag("frontpage/includes/rails.html", takes_context=True)
def story_rails(context, page):
    request = context["request"]
    return {**listing.rails(request, page), "request": request}
