"""`{% edition_alternates %}` (hreflang links) and `{% edition_switcher %}` for public pages."""

from django import template

from .. import links

register = template.Library()


def _versions(context):
    request = context.get("request")
    if request is None:
        return []
    return links.versions_for(request, context.get("page"))


@register.inclusion_tag("editions/alternates.html", takes_context=True)
def edition_alternates(context):
    """`<link rel="alternate" hreflang>` for every version of this page, plus x-default."""
    versions = [v for v in _versions(context) if v.is_counterpart]
    if len(versions) < 1:
        return {"versions": [], "x_default": None}
    default = next((v for v in versions if v.edition.is_default), versions[0])
    return {"versions": versions, "x_default": default}


@register.inclusion_tag("editions/switcher.html", takes_context=True)
def edition_switcher(context):
    """Links to the other editions: this story's version there, or that edition's home."""
    versions = _versions(context)
    return {"versions": versions if len(versions) > 1 else []}


@register.filter
def story_kind(kind: str) -> str:
    """The reader-facing name of a kind of story, in the edition's language."""
    from ..public import kind_label

    return kind_label(kind)
