"""`{% public_url page %}` / `{% public_url path %}`: an absolute link on the paper's public
address (toasoan.core.addresses), for canonical links, sharing buttons and feed lists."""

from django import template

from .. import addresses
from ..queries import cache_query

register = template.Library()


@register.simple_tag(takes_context=True)
def public_url(context, target) -> str:
    request = context.get("request")
    url = target.get_url(request) if hasattr(target, "get_url") else str(target or "")
    return addresses.public_url(url or "", request)


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This listing's own address with only the parameters it reads (`?page=2`), never a
    tracking one a shared link brought (toasoan.core.queries)."""
    request = context["request"]
    kept = cache_query(request.path, request.META.get("QUERY_STRING", ""))
    return addresses.public_url(request.path + (f"?{kept}" if kept else ""), request)
