"""Keeping the search index in step with publishing: one entry per live story.

Called from Wagtail's page_published / page_unpublished signals (see signals.py): removal
inside the unpublishing transaction, so a story is gone the moment it is not live; indexing
through the `index_published` task, inline by default, else by the worker a moment after the
publish commits (its row is written in the same transaction, so it is never lost).
`rebuild()` refills the index after bulk loads (which send no signals).
"""

from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from wagtail.models import Page

from toasoan.newsroom.models import ArticlePage

from .folding import clean, exact_text, folded_text
from .models import SearchEntry, publication_seq
from .ranking import rank_text

_BODY = ArticlePage._meta.get_field("body")


def _joined(parts: Iterable[str]) -> str:
    return clean("\n".join(p.strip() for p in parts if p and p.strip()))


def body_text(page: ArticlePage) -> str:
    """The body's text: Wagtail's own searchable content of each block."""
    return _joined(str(chunk) for chunk in _BODY.get_searchable_content(page.body) if chunk)


def story_text(page: ArticlePage, topic_names: Iterable[str] = ()) -> str:
    """Sapo, body text and topic names."""
    return _joined([page.sapo or "", body_text(page), *topic_names])


def entry_for(
    page: ArticlePage, topic_names: Iterable[str] | None = None, body: str | None = None
) -> SearchEntry:
    """The page's index row; `body`: its `body_text()` when the caller already knows it (a
    bulk writer that has the paragraphs at hand, instead of reading the blocks back)."""
    if topic_names is None:
        topic_names = page.topics.values_list("name", flat=True)
    title, sapo = clean(page.title), clean(page.sapo or "")
    body = body_text(page) if body is None else clean(body)
    text = _joined([sapo, body, *topic_names])
    entry = SearchEntry(
        page_id=page.pk,
        seq=publication_seq(page.first_published_at, page.pk),
        path=page.path,
        title=title,
        text=text,
        rank_text=rank_text(title, sapo, body),
    )
    if connection.vendor == "sqlite":  # PostgreSQL folds in the database (vi_unaccent)
        entry.folded_title, entry.folded_text = folded_text(title), folded_text(text)
        entry.exact_title, entry.exact_text = exact_text(title), exact_text(text)
    return entry


def index_story(page: ArticlePage) -> None:
    """Add or refresh a live story's entry; a page that is not live loses its entry."""
    if not page.live:
        remove_story(page.pk)
        return
    entry = entry_for(page)
    with transaction.atomic():
        SearchEntry.objects.filter(pk=page.pk).delete()
        entry.save(force_insert=True)


def remove_story(page_id: int) -> None:
    SearchEntry.objects.filter(pk=page_id).delete()


def refresh_paths(page_id: int) -> None:
    """After a page moved: its entries (its own, or its stories' for a section) follow it."""
    moved = Page.objects.filter(pk=page_id).values_list("path", flat=True).first()
    if moved:
        SearchEntry.objects.filter(page__path__startswith=moved).update(
            path=Subquery(Page.objects.filter(pk=OuterRef("page_id")).values("path")[:1])
        )


def rebuild(batch: int = 500, log: Callable[[str], None] | None = None) -> int:
    """Empty the index and add every live story again; returns how many were indexed."""
    stories = (
        ArticlePage.objects.live()
        .order_by("pk")
        .only("pk", "title", "sapo", "body", "live", "first_published_at", "path")
        .prefetch_related("tagged_topics__tag")
    )
    count = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        last_pk = 0
        while True:
            chunk = list(stories.filter(pk__gt=last_pk)[:batch])
            if not chunk:
                break
            entries = [
                entry_for(page, [tagged.tag.name for tagged in page.tagged_topics.all()])
                for page in chunk
            ]
            SearchEntry.objects.bulk_create(entries)
            count += len(entries)
            last_pk = chunk[-1].pk
            if log:
                log(f"{count} bài đã vào chỉ mục")
    return count
