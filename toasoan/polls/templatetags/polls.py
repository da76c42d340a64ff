from django import template

from toasoan.core.changes import kept_here, versioned

from .. import voting

register = template.Library()


@register.inclusion_tag("polls/story_poll.html")
def story_poll(page) -> dict:
    """The story's poll as a form; the script then shows results to those who voted."""
    # Kept in this worker until the next content change (a poll saved bumps it).
    poll = kept_here(versioned(f"polls:story:{page.pk}"), lambda: voting.story_poll(page.pk))
    return {"poll": poll}
