from django.http import Http404, HttpResponse
from wagtail import hooks

from toasoan.newsroom.models import COVER_RENDITIONS, published_articles, with_cover


def article(request, pk: str):
    """`/<section>/<slug>-<id>.html`: the id finds the story; any other path 301s to its URL."""
    page = with_cover(published_articles().filter(pk=int(pk)), *COVER_RENDITIONS).first()
    if page is None:
        raise Http404("Không tìm thấy bài viết")
    redirect = page.canonical_redirect(request)
    if redirect is not None:
        return redirect
    # The same hooks Wagtail's own serve view runs (privacy, password restrictions…).
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, (), {})
        if isinstance(result, HttpResponse):
            return result
    return page.serve(request)
