"""`{% public_url page %}` / `{% public_url path %}`: an absolute link on the paper's public
address (toasoan.core.addresses), for canonical links, sharing buttons and feed lists."""

from django import template

from .. import addresses

register = template.Library()


@register.simple_tag(takes_context=True)
def public_url(context, target) -> str:
    request = context.get("request")
    url = target.get_url(request) if hasattr(target, "get_url") else str(target or "")
    return addresses.public_url(url or "", request)
