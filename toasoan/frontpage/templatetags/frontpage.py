from django import template
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from wagtail.templatetags.wagtailcore_tags import richtext

from toasoan.core.text import dateline_for, short_datetime_for
from toasoan.core.worker_copies import MB, WorkerCopies
from toasoan.newsroom.pictures import SHOWN, identity

from .. import listing

register = template.Library()

# In the language of the edition being served (Vietnamese: 22/12/2021 10:01).
register.filter("short_datetime", short_datetime_for)
register.filter("dateline", dateline_for)


@register.inclusion_tag("frontpage/includes/rails.html", takes_context=True)
def story_rails(context, page):
    request = context["request"]
    return {**listing.rails(request, page), "request": request}


@register.simple_tag
def story_body(page) -> dict:
    """`{% story_body page as body %}`: `body.html`, the story's body (paragraphs as rich
    text, other blocks with their own templates), and `body.cover_in_body`, whether it shows
    the cover photo. The published version's is kept in this worker (ArticlePage.
    published_body). Blocks render without the request or the page's context: what a body
    shows is the same for every reader."""

    def render() -> str:
        parts = []
        for block in page.body:
            if block.block_type == "paragraph":
                parts.append(f'<div class="rich-text">{richtext(block.value)}</div>')
            else:
                parts.append(block.render_as_block({"page": page}))
        return "".join(parts)

    cover_in_body, html = page.published_body(render)
    return {"html": mark_safe(html), "cover_in_body": cover_in_body}  # noqa: S308 - rendered


CARD_TEMPLATE = "frontpage/includes/story_card.html"
CARD_SECONDS = 10 * 60
cards = WorkerCopies(max_bytes=2 * MB)  # ~1.5 kB a card: a home page shows ~40, a section 20


def card_key(request, story, cover, *look) -> tuple:
    """What a story's card shows, as a key of the worker's copy of it: the published version,
    the address (a moved story), the cover photo and its focal point (`cover`: its identity),
    how the card looks, the language and the site."""
    return (
        story.pk,
        story.last_published_at,
        story.url_path,
        cover,
        *look,
        translation.get_language(),
        getattr(getattr(request, "_wagtail_site", None), "pk", None),
    )


@register.simple_tag(takes_context=True)
def story_card(context, story, size: str = "small", with_sapo=False, eager=False) -> SafeString:
    """A story's card (cover, title, time), rendered once per version of the story and kept
    in this worker's memory: the same cards fill the home, section, topic and related
    listings, and are re-rendered for every page after each publish otherwise (a third of
    the home page's time). The key holds everything the card shows: the published version,
    the address (a moved story), the cover photo and its focal point, the language.

    `size` is both the card's look (card--lead, --medium, --small, --tile, --row, --latest)
    and the place its photo is shown at (newsroom.pictures.SHOWN)."""
    if size not in SHOWN:
        raise ValueError(f"story_card: unknown size {size!r}")
    if isinstance(story, listing.Listed):  # the home's: its cover's identity read with it
        cover = story.cover_identity
    else:
        cover = identity(story.cover_image) if story.cover_image_id else None
    request = context.get("request")
    key = card_key(request, story, cover, size, bool(with_sapo), bool(eager))
    html = cards.get(key)
    if html is None:
        if isinstance(story, listing.Listed) and (story := story.story()) is None:
            return mark_safe("")  # unpublished a moment ago
        html = get_template(CARD_TEMPLATE).render(
            {"story": story, "size": size, "with_sapo": with_sapo, "eager": eager}, request
        )
        cards.put(key, html, CARD_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered by our autoescaping template
