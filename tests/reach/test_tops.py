"""The top lists (most read, read longest, read most abroad) read a few rows of each day and
month, yet name exactly the stories, in the order, that summing every story read would; the
pen names' sums follow the bylines of stories already read."""

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ArticlePageFactory, PenNameFactory, SectionPageFactory
from tests.reach.conftest import beacon
from toasoan.newsroom.models import ArticleByline
from toasoan.reach import sums
from toasoan.reach.stats import Scope, top_stories
from toasoan.readership import counting
from toasoan.readership.models import PenDay, PenMonth, StoryDay

pytestmark = pytest.mark.django_db

ORDERS = {"views": sums.BY_VIEWS, "engaged": sums.BY_TIME, "abroad": sums.BY_ABROAD}
PERIODS = [
    (date(2026, 1, 20), date(2026, 4, 10)),  # loose days, two whole months, loose days
    (date(2026, 2, 1), date(2026, 3, 31)),  # whole months only
    (date(2026, 2, 20), date(2026, 3, 6)),  # loose days only
]


@pytest.fixture
def a_quarter_of_readers(home, section):
    """30 stories in two sections and two editions, read on days from January to April,
    heavy-tailed as readers spread them (many ties among the small counts)."""
    other = SectionPageFactory(parent=home, title="Thể thao", slug="the-thao")
    stories = []
    for n in range(30):
        where = other if n % 3 == 0 else section
        story = ArticlePageFactory(parent=where, title=f"Bài số {n}")
        stories.append((story, where.pk, "en" if n % 4 == 0 else "vi"))
    rng = random.Random(19)
    rows, day = [], date(2026, 1, 15)
    while day <= date(2026, 4, 15):
        for story, section_id, edition in rng.sample(stories, 10):
            views = int(rng.paretovariate(1.1) * 3)
            rows.append(
                StoryDay(
                    day=day,
                    article=story,
                    section_id=section_id,
                    edition=edition,
                    views=views,
                    visitors=views,
                    abroad_views=rng.choice([0, 0, views // 2, views]),
                    engaged_seconds=views * rng.choice([0, 10, 45]),
                    engaged_views=views // 2,
                )
            )
        day += timedelta(days=1)
    StoryDay.objects.bulk_create(rows)
    counting.months_from_days()
    return section, other


def every_story_ranked(sections, start, end, order, limit, edition=None) -> list[tuple]:
    rows = sums.story_sums(sections, start, end, edition=edition, order=order.sql, limit=limit)
    return [r for r in rows if r[order.at] > 0 or not order.positive]


@pytest.mark.parametrize("read_first", [(1, 2), sums.READ_FIRST])
def test_top_lists_are_those_of_summing_every_story(a_quarter_of_readers, monkeypatch, read_first):
    """Short first reads (a list's length, then twice) often cannot prove a list and fall
    back to summing every story; the usual ones prove it: the same lists either way."""
    section, other = a_quarter_of_readers
    monkeypatch.setattr(sums, "READ_FIRST", read_first)
    for start, end in PERIODS:
        for sections in (None, [section.pk], [other.pk]):
            for limit in (1, 3, 8):
                for name, order in ORDERS.items():
                    for edition in (None, "vi", "en") if order.positive else (None,):
                        expected = every_story_ranked(sections, start, end, order, limit, edition)
                        found = sums.tops(sections, start, end, {name: order}, limit, edition)
                        assert found[name] == expected, (start, end, sections, limit, name)


def test_a_top_list_reads_a_few_rows_of_each_day_and_month(a_quarter_of_readers):
    """Two queries: the first rows of each day and month, then the sums of the few stories
    that can still make the list; no query ranks every story."""
    start, end = PERIODS[0]
    with CaptureQueriesContext(connection) as queries:
        found = sums.tops(None, start, end, {"views": sums.BY_VIEWS, "engaged": sums.BY_TIME}, 3)
    assert len(queries) == 2
    assert not any(sums.BY_VIEWS.sql in q["sql"] for q in queries)
    assert found["views"] == every_story_ranked(None, start, end, sums.BY_VIEWS, 3)


def test_pen_names_follow_their_bylines(
    client, story, pen_name, section, django_capture_on_commit_callbacks
):
    """A story read, then its byline corrected, another pen name added (a revision
    published) and the story deleted: the pen names' table shows what summing the stories
    they sign now gives, for the whole paper as for the section's editor."""
    for address in ("1.52.0.1", "1.52.0.2"):
        beacon(client, story, address)
    counting.flush()
    today = timezone.localdate()
    mine = Scope([section.pk], [section.path])

    def pens(scope: Scope | None = None) -> list[tuple[str, int]]:
        scope = scope or Scope()
        return [(p["name"], p["views"]) for p in top_stories(scope, today, today)["pens"]["views"]]

    assert pens() == pens(mine) == [("V.A", 2)]
    other = PenNameFactory(name="Minh Anh")
    with django_capture_on_commit_callbacks(execute=True):
        byline = ArticleByline.objects.get(page=story)
        byline.pen_name = other
        byline.save()
    assert pens() == pens(mine) == [("Minh Anh", 2)]
    assert PenMonth.objects.get(pen_name=other).views == 2
    with django_capture_on_commit_callbacks(execute=True):
        story.bylines.add(ArticleByline(pen_name=pen_name, sort_order=1))
        story.save_revision().publish()
    assert pens() == pens(mine) == [("Minh Anh", 2), ("V.A", 2)]
    with django_capture_on_commit_callbacks(execute=True):
        story.delete()
    assert pens() == [] and not PenDay.objects.filter(views__gt=0).exists()
