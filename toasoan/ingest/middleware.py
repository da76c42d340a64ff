"""Old addresses of imported stories answer 301 with the new address.

WordPress's `/?p=123` reaches our home page (which would happily answer 200), so those
query forms are looked up before the view; any other old path is looked up only when our
site has nothing there (a 404) or would itself redirect it (an old address ending in
`-<number>.html` looks like one of ours). An address recorded for an old domain wins over one
recorded for every domain, so two merged papers' `/?p=1` lead to their own stories; a
reader who came on an old domain is sent to the paper's own domain.
"""

from django.http import HttpResponsePermanentRedirect
from wagtail.models import Site

from .models import LegacyURL
from .text import WP_QUERY, host_of, normalise_path

_SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/documents/")


def find_redirect(request, path_key: str) -> str | None:
    if "\x00" in path_key:  # no address we imported holds a NUL, and PostgreSQL refuses one
        return None
    host = host_of(request.get_host())
    match = (
        LegacyURL.objects.filter(path=path_key, host__in=[host, ""])
        .select_related("page")
        .order_by("-host")
        .first()
    )
    if match is None:
        return None
    # From an old domain, send readers to the paper's own address, not the same path there.
    absolute = bool(match.host)
    if match.page_id is not None:
        page = match.page.specific
        if not page.live:
            return None
        return page.get_full_url(request) if absolute else page.get_url(request)
    if not match.target_path:
        return None
    if absolute and (site := Site.objects.filter(is_default_site=True).first()):
        return site.root_url + match.target_path
    return match.target_path


def legacy_redirects(get_response):
    def middleware(request):
        if request.method not in ("GET", "HEAD") or request.path.startswith(_SKIP_PREFIXES):
            return get_response(request)
        if any(key in request.GET for key in WP_QUERY):
            key = normalise_path(request.get_full_path(), WP_QUERY)
            if "?" in key and (target := find_redirect(request, key)):
                return HttpResponsePermanentRedirect(target)
        response = get_response(request)
        # 404, or a redirect of our own: an old `/…/ten-bai-12345.html` would otherwise be
        # taken for our story 12345 (and sent to it). Pages served as they are cost nothing.
        if response.status_code in (301, 302, 404):
            target = find_redirect(request, normalise_path(request.path))
            if target:
                return HttpResponsePermanentRedirect(target)
        return response

    return middleware
