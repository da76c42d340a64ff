from django import template

from .. import voting

register = template.Library()


@register.inclusion_tag("polls/story_poll.html")
def story_poll(page) -> dict:
    """The story's poll as a form; the script then shows results to those who voted."""
    return {"poll": voting.story_poll(page.pk)}
