from django import template

from toasoan.core.changes import kept_here, versioned
from toasoan.core.text import dateline_for, short_datetime_for

from .. import moderation

register = template.Library()

register.filter("comment_time", short_datetime_for)
register.filter("comment_dateline", dateline_for)


@register.simple_tag(takes_context=True)
def comment_thread(context, page) -> str:
    """Put the story's approved comments, their count and the open flag in the context.

    Cached per story, so a warm article page spends no query on its comments, and kept in
    this worker until the next content change (a comment approved or hidden bumps it).
    """
    data = kept_here(versioned(f"comments:thread:{page.pk}"), lambda: moderation.thread(page.pk))
    context["comment_count"] = data["count"]
    context["comment_threads"] = moderation.safe_threads(data)
    context["comments_open"] = data["open"]
    return ""
