from functools import cache
from pathlib import Path

from django.http import Http404, HttpResponse
from django.views.decorators.cache import cache_control
from wagtail import hooks
from wagtail.views import serve_chain

from toasoan.newsroom.models import published_story


def article(request, pk: str):
    """`/<section>/<slug>-<id>.html`: the id finds the story; any other path 301s to its URL."""
    # The cover joined in; its renditions come with its <picture>, kept in the worker.
    page = published_story(int(pk))
    if page is None:
        raise Http404("Không tìm thấy bài viết")
    redirect = page.canonical_redirect(request)
    if redirect is not None:
        return redirect
    page.keep_published_facts()  # the published version: its byline and topics kept
    # The same hooks Wagtail's own serve view (wagtail.views.serve) runs, in its order:
    # "on_serve_page" wraps the serving (Wagtail's privacy check, view restrictions and
    # passwords, is one of them), "before_serve_page" may answer first.
    chain = serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        chain = fn(chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, (), {})
        if isinstance(result, HttpResponse):
            return result
    return chain(page, request, (), {})


FAVICON = Path(__file__).parent / "static" / "frontpage" / "favicon.ico"  # from the TS logo


@cache
def _favicon() -> bytes:
    return FAVICON.read_bytes()


@cache_control(public=True, max_age=7 * 24 * 60 * 60)
def favicon(request):
    """`/favicon.ico`, where browsers and feed readers look for it whatever the page says."""
    return HttpResponse(_favicon(), content_type="image/vnd.microsoft.icon")
