"""The database task queue: publishing queues its work in its own transaction; a worker runs it."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from tests.delivery.test_purge import purge_listener  # noqa: F401 - a stand-in nginx
from tests.factories import ArticlePageFactory, PhotoFactory
from toasoan.core.changes import bump
from toasoan.delivery.pagecache import forget_worker_copies
from toasoan.newsroom.pictures import COVER_RENDITIONS, LISTING_RENDITIONS, PHOTO_SPECS, pictures
from toasoan.newsroom.tasks import render_sizes
from toasoan.search.models import SearchEntry

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker(monkeypatch) -> None:
    """`db_worker --batch` in this process. Inside the test's transaction it must not recycle
    the connection (that would end the transaction); test_faults runs the real worker process."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.django_db
def test_published_story_is_indexed_and_its_photos_sized_by_the_worker(
    settings, section, monkeypatch
):
    settings.TASKS = DATABASE_QUEUE
    cover, inside = PhotoFactory(), PhotoFactory()
    body = [("photo", {"image": inside, "wide": False}), ("photo", {"image": cover, "wide": False})]
    story = ArticlePageFactory(
        parent=section, title="Bão số 9 đổ bộ Quảng Nam", cover_image=cover, body=body
    )

    waiting = set(DBTaskResult.objects.ready().values_list("task_path", flat=True))
    assert waiting >= {
        "toasoan.search.tasks.index_published",
        "toasoan.newsroom.tasks.render_story_sizes",
    }
    # One row for the story's photos, not one per photo: the editor waits for each.
    assert DBTaskResult.objects.filter(task_path__endswith="render_story_sizes").count() == 1
    assert not SearchEntry.objects.filter(page_id=story.pk).exists()
    assert cover.renditions.count() == inside.renditions.count() == 0

    run_worker(monkeypatch)

    assert SearchEntry.objects.filter(page_id=story.pk).exists()
    # Every size a reader is shown: the cover on listings and on the story, the body's photo.
    cover_sizes = set(cover.renditions.values_list("filter_spec", flat=True))
    assert cover_sizes == set(LISTING_RENDITIONS + COVER_RENDITIONS)
    assert set(inside.renditions.values_list("filter_spec", flat=True)) == set(PHOTO_SPECS)
    assert not DBTaskResult.objects.ready().exists()
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


@pytest.mark.django_db
def test_a_publish_that_rolls_back_leaves_no_task_behind(settings, section):
    settings.TASKS = DATABASE_QUEUE
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticlePageFactory(parent=section, title="Bài bị huỷ")
        raise RuntimeError("the publish failed")
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_embedded_default_indexes_at_once_and_makes_sizes_on_first_view(section, client):
    cover = PhotoFactory()
    story = ArticlePageFactory(parent=section, title="Mưa lớn ở miền núi", cover_image=cover)
    assert SearchEntry.objects.filter(page_id=story.pk).exists()
    assert not DBTaskResult.objects.exists()
    assert cover.renditions.count() == 0
    assert client.get(section.url).status_code == 200
    assert cover.renditions.count() > 0


@pytest.mark.django_db
def test_with_a_worker_a_reader_page_never_makes_a_photo_size_and_queues_it(
    settings, section, client, monkeypatch
):
    """A story whose cover has no sizes yet (published before, say): the reader's page shows
    the original at once and leaves the resizing to the worker, asked once."""
    settings.TASKS = DATABASE_QUEUE
    cover = PhotoFactory()
    story = ArticlePageFactory(parent=section, title="Lũ quét ở Nam Trà My", cover_image=cover)
    DBTaskResult.objects.all().delete()  # not the publish's own sizing: a photo without sizes

    page = client.get(story.url)

    assert page.status_code == 200
    assert cover.renditions.count() == 0
    assert f'src="{cover.file.url}"' in page.content.decode()
    queued = DBTaskResult.objects.filter(task_path="toasoan.newsroom.tasks.render_sizes")
    assert queued.count() >= 1
    asked = queued.count()
    another_worker_renders_it_again()
    assert client.get(story.url).status_code == 200
    assert queued.count() == asked  # not queued twice

    run_worker(monkeypatch)
    assert set(cover.renditions.values_list("filter_spec", flat=True)) >= set(PHOTO_SPECS)
    another_worker_renders_it_again()
    html = client.get(story.url).content.decode()
    assert 'type="image/avif"' in html
    assert f'src="{cover.file.url}"' not in html


def another_worker_renders_it_again() -> None:
    """A content change (every page renders again) seen by a worker with nothing in memory."""
    bump()
    forget_worker_copies()
    pictures.clear()


@pytest.mark.django_db
def test_a_page_showing_an_original_for_a_queued_size_is_kept_only_briefly(
    settings, section, client, monkeypatch
):
    """The stand-in (the original photo, megabytes on a phone) is served for half a minute
    at most, not the page cache's ten minutes: then readers get the sizes the worker made."""
    from toasoan.delivery import pagecache

    settings.TASKS = DATABASE_QUEUE
    cover = PhotoFactory()
    story = ArticlePageFactory(parent=section, title="Lũ quét ở Nam Trà My", cover_image=cover)
    DBTaskResult.objects.all().delete()
    kept_for = page_cache_lifetimes(monkeypatch)
    another_worker_renders_it_again()
    assert f'src="{cover.file.url}"' in client.get(story.url).content.decode()
    assert kept_for == [pagecache.STAND_IN_SECONDS]

    run_worker(monkeypatch)
    another_worker_renders_it_again()
    assert f'src="{cover.file.url}"' not in client.get(story.url).content.decode()
    assert kept_for[1:] == [settings.PAGE_CACHE_SECONDS]


def page_cache_lifetimes(monkeypatch) -> list:
    """The lifetimes (seconds) of the pages the page cache keeps from now on, in order."""
    from toasoan.delivery import pagecache

    kept_for = []
    real_set = pagecache.cache.set

    def recording_set(key, value, timeout=None, **kwargs):
        if key.startswith(pagecache.KEY_PREFIX):
            kept_for.append(timeout)
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(pagecache.cache, "set", recording_set)
    return kept_for


@pytest.mark.django_db
def test_a_body_showing_an_original_for_a_queued_size_is_not_kept(
    settings, section, client, monkeypatch
):
    """A story's body is kept in the worker between content changes, but the page showing
    a stand-in in it (an original photo for a size being made) is still kept briefly."""
    from toasoan.delivery import pagecache

    settings.TASKS = DATABASE_QUEUE
    photo = PhotoFactory(caption="Nước lũ tràn qua cầu")
    story = ArticlePageFactory(
        parent=section, title="Lũ quét ở Nam Trà My", body=[("photo", {"image": photo})]
    )
    kept_for = page_cache_lifetimes(monkeypatch)
    another_worker_renders_it_again()
    html = client.get(story.url).content.decode()
    assert "Nước lũ tràn qua cầu" in html and f'src="{photo.file.url}"' in html
    assert kept_for == [pagecache.STAND_IN_SECONDS]


@pytest.mark.django_db
def test_the_worker_purges_a_breaking_story_before_photo_sizes_queued_ahead_of_it(
    settings,
    section,
    monkeypatch,
    purge_listener,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    """An upload's photo sizes (up to seconds each) wait in the queue; a breaking story is
    published after them: its purge runs first, or readers would not see it for as long
    as the photos take."""
    settings.TASKS = DATABASE_QUEUE
    for photo in [PhotoFactory() for _ in range(3)]:
        render_sizes.enqueue(photo.pk, list(PHOTO_SPECS))
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticlePageFactory(parent=section, title="Tin nóng: sạt lở ở Nam Trà My")
        story.save_revision().publish()

    run_worker(monkeypatch)

    ran = list(DBTaskResult.objects.order_by("started_at").values_list("task_path", flat=True))
    first_sizes = ran.index("toasoan.newsroom.tasks.render_sizes")
    assert "toasoan.core.changes.purge_changed" in ran[:first_sizes]
    assert story.url in {path for _, path in purge_listener}
