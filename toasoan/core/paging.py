"""Pagination for public listings: a bad or out-of-range page number is a 404, never a 500."""

from django.core.paginator import Page, Paginator
from django.http import Http404


def page_of(request, object_list, per_page: int) -> Page:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > 6:
        raise Http404("Trang không tồn tại")
    paginator = Paginator(object_list, per_page, allow_empty_first_page=True)
    number = int(raw)
    if number < 1 or number > paginator.num_pages:
        raise Http404("Trang không tồn tại")
    return paginator.page(number)
