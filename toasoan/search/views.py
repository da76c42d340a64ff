"""`/search/?q=…`: folded, ranked, filtered, highlighted, paged — and never a 500."""

from dataclasses import dataclass
from math import ceil
from urllib.parse import urlencode

from django.conf import settings
from django.db.models.functions import Substr
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import dateformat, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from wagtail.models import Page, Site

from toasoan.core.changes import framed
from toasoan.core.text import short_datetime_for
from toasoan.core.worker_copies import MB, WorkerCopies
from toasoan.editions import editions
from toasoan.frontpage.templatetags.frontpage import CARD_SECONDS, card_key
from toasoan.newsroom.models import ArticlePage, attach_covers
from toasoan.newsroom.pictures import SHOWN, identity
from toasoan.newsroom.templatetags.pictures import photo_picture

from . import engine, ratelimit
from .forms import SearchForm, filters_html
from .highlight import has_hit, highlight, snippet
from .models import SearchEntry
from .query import MAX_LENGTH, MAX_WORDS, parse
from .suggest import did_you_mean, suggestions

TEMPLATE = "search/search_page.html"


@dataclass
class Result:
    story: ArticlePage
    title: SafeString
    snippet: SafeString
    card: "Card"


@dataclass(frozen=True)
class Card:
    """What a result shows whatever was searched: its address, cover and time."""

    url: str
    media: SafeString  # the cover's <picture>, "" without one
    meta: SafeString  # the <time> it was published


CARD = "row"  # the place its cover is shown at (newsroom.pictures.SHOWN)
cards = WorkerCopies(max_bytes=1 * MB)  # ~1 kB a card: fifty pages of results


def _edition_root(request) -> Page | None:
    """This edition's home (/en/search/ searches the English one), kept in this worker until
    the frame changes (`localized` looks an edition's home up in the database)."""
    site = Site.find_for_request(request)
    if site is None:
        return None
    key = f"search:root:{site.root_page_id}:{translation.get_language()}"
    return framed(key, lambda: site.root_page.localized)


def _page_number(raw: str, last: int) -> int:
    """Any page number a reader can type gives a page: junk is 1, past the end is the last."""
    number = int(raw) if raw.isdigit() and len(raw) < 7 else 1
    return min(max(number, 1), max(last, 1))


def search(request):
    allowed, retry_after = ratelimit.allow(request)
    if not allowed:
        return ratelimit.refused(request, TEMPLATE, {}, retry_after)

    root = _edition_root(request)
    form = SearchForm(request.GET, root_page=root)
    form.is_valid()  # invalid filters are reported and left out; the search still runs
    query = parse(form.value("q") or "")
    section = form.sections.get(form.value("section"))
    filters = engine.Filters(
        section_path=section.path if section else (root.path if root else ""),
        date_from=form.value("date_from"),
        date_to=form.value("date_to"),
        stemming=editions.current().search_config if root and root.depth == 2 else "",
    )
    newest = form.value("sort") == "newest"
    page_size = settings.TOASOAN["PAGE_SIZE"]

    context = {
        "form": form,
        "filters": filters_html(form, root),
        "query": query,
        "search_query": query.text,
        "section": section,
        "max_length": MAX_LENGTH,
        "max_words": MAX_WORDS,
        "max_results": engine.MAX_RESULTS,
    }
    if not query.is_empty:
        most_pages = ceil(engine.MAX_RESULTS / page_size)
        number = _page_number(request.GET.get("page", "1"), most_pages)
        hits = engine.search(
            query, filters, newest=newest, offset=(number - 1) * page_size, limit=page_size
        )
        last_page = ceil(min(hits.total, engine.MAX_RESULTS) / page_size)
        if hits.total and number > last_page:  # past the end: show the last page
            number = last_page
            hits = engine.search(
                query, filters, newest=newest, offset=(number - 1) * page_size, limit=page_size
            )
        better = did_you_mean(query.text, root) if root and not query.phrases else ""
        context.update(
            did_you_mean=better,
            did_you_mean_url="?" + urlencode({"q": better}) if better else "",
            results=_results(request, hits.ids, query),
            total=min(hits.total, engine.MAX_RESULTS),
            more_than_max=hits.total > engine.MAX_RESULTS,
            page_number=number,
            last_page=last_page,
            pages=_page_links(request, number, last_page),
        )
    return render(request, TEMPLATE, context)


SNIPPET_CHARS = 6_000


def _snippet_texts(ids: list[int], query) -> dict[int, str]:
    """The text each snippet is read from: the start of each story (the whole of a long one
    is read for nothing: a page of results is ten of them), or the whole text of a long one
    whose start holds none of the searched words (the words were found deeper down)."""
    texts = dict(
        SearchEntry.objects.filter(pk__in=ids)
        .annotate(start=Substr("text", 1, SNIPPET_CHARS))
        .values_list("page_id", "start")
    )
    deeper = [
        pk for pk, text in texts.items() if len(text) >= SNIPPET_CHARS and not has_hit(text, query)
    ]
    if deeper:
        texts.update(SearchEntry.objects.filter(pk__in=deeper).values_list("page_id", "text"))
    return texts


def _results(request, ids: list[int], query) -> list[Result]:
    if not ids:
        return []
    stories = {
        s.pk: s
        for s in ArticlePage.objects.listed().filter(pk__in=ids).select_related("cover_image")
    }
    # Renditions only of the covers this worker has not shown lately.
    attach_covers(list(stories.values()), *SHOWN[CARD].specs)
    texts = _snippet_texts(ids, query)
    return [
        Result(
            story=stories[pk],
            title=highlight(stories[pk].title, query),
            snippet=snippet(texts.get(pk) or stories[pk].sapo, query),
            card=_card(request, stories[pk]),
        )
        for pk in ids
        if pk in stories  # the double gate: an entry whose story is not live shows nothing
    ]


def _card(request, story: ArticlePage) -> Card:
    """A story's card, made once per version of the story and kept in this worker's memory
    (as frontpage's story cards, under the same kind of key): its address, cover and time
    are the same in every search that finds it."""
    photo = story.cover_image if story.cover_image_id else None
    key = card_key(request, story, photo and identity(photo), CARD)
    card = cards.get(key)
    if card is None:
        published = story.first_published_at
        card = Card(
            url=story.get_url(request),
            media=photo_picture(photo, CARD, alt="", loading="lazy", decoding="async"),
            meta=format_html(
                '<time datetime="{}">{}</time>',
                dateformat.format(timezone.localtime(published), "c") if published else "",
                short_datetime_for(published),
            ),
        )
        cards.put(key, card, CARD_SECONDS)
    return card


def _page_links(request, number: int, last: int) -> dict:
    def url(n: int) -> str:
        # Only what the form reads: a shared link's ?fbclid=… is not carried from page to page.
        params = [(k, request.GET[k]) for k in SearchForm.base_fields if request.GET.get(k)]
        if n > 1:
            params.append(("page", str(n)))
        return "?" + urlencode(params)

    return {
        "previous": url(number - 1) if number > 1 else "",
        "next": url(number + 1) if number < last else "",
    }


def suggest(request):
    """`/search/suggest/?q=ho` → JSON suggestions for the search boxes (suggest.js)."""
    root = _edition_root(request)
    text = (request.GET.get("q") or "")[:MAX_LENGTH]
    found = suggestions(text, root) if root else []
    response = JsonResponse({"q": text, "suggestions": found})
    response["Cache-Control"] = "public, max-age=60"
    return response
