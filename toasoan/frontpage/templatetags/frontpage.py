from django import template

from toasoan.core.text import dateline_for, short_datetime_for

from .. import listing

register = template.Library()

# In the language of the edition being served (Vietnamese: 22/12/2021 10:01).
register.filter("short_datetime", short_datetime_for)
register.filter("dateline", dateline_for)


@register.inclusion_tag("frontpage/includes/rails.html", takes_context=True)
def story_rails(context, page):
    request = context["request"]
    return {**listing.rails(request, page), "request": request}
