"""The one bulk story writer (newsroom/bulk.py) that archive imports and the bench share."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from tests.factories import ArticlePageFactory, PenNameFactory
from toasoan.newsroom.bulk import StoryRow, StoryWriter, bulk_add_stories, paragraph
from toasoan.newsroom.models import ArticlePage, Topic

pytestmark = pytest.mark.django_db


def rows(count: int, **fields) -> list[StoryRow]:
    start = timezone.now() - timedelta(days=30)
    return [
        StoryRow(
            title=f"Tin lưu trữ {n % 3}",
            sapo="Sapo.",
            published_at=start + timedelta(minutes=n),
            blocks=paragraph("<p>Nội dung.</p>"),
            **fields,
        )
        for n in range(count)
    ]


def test_many_stories_cost_a_few_queries_per_batch_not_per_story(section, story):
    pen_name, topic = PenNameFactory(name="LƯU TRỮ"), Topic.objects.create(name="Lưu trữ")
    removed = ArticlePageFactory(parent=section, title="Bài sẽ bị xoá")
    ArticlePageFactory(parent=section, title="Bài sau nó")
    removed.delete()  # a gap in the section's tree positions: new stories go after the last
    fields = {"pen_name_ids": [pen_name.pk], "topic_ids": [topic.pk]}

    bulk_add_stories(section, rows(5, **fields))
    with CaptureQueriesContext(connection) as queries:
        assert bulk_add_stories(section, rows(600, **fields)) == 600

    assert len(queries) < 600 / 10  # batched INSERTs, however the backend splits them
    assert all(not problems for problems in Page.find_problems())
    section.refresh_from_db()
    children = Page.objects.child_of(section)
    assert section.numchild == children.count() == 607
    slugs = list(children.values_list("slug", flat=True))
    assert len(set(slugs)) == len(slugs) and {"tin-luu-tru-0", "tin-luu-tru-0-2"} <= set(slugs)
    archived = ArticlePage.objects.filter(title="Tin lưu trữ 1").first()
    assert archived.live and [p.name for p in archived.pen_names()] == ["LƯU TRỮ"]
    assert list(archived.topics.names()) == ["Lưu trữ"]
    assert archived.url.endswith(f"/tin-luu-tru-1-{archived.pk}.html")


def test_drafts_keep_no_publication_date_and_come_back_with_their_ids(section):
    draft = rows(1, live=False, seo_title="Tiêu đề SEO")[0]

    (story,) = StoryWriter().write(section, [draft])

    saved = ArticlePage.objects.get(pk=story.pk)
    assert not saved.live and saved.first_published_at is None and saved.has_unpublished_changes
    assert saved.seo_title == "Tiêu đề SEO"
