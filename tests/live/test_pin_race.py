"""Two editors pinning different entries of one blog at the same moment leave one pinned
entry, never two: their pins take turns on the blog's row, and the database refuses a second
pinned entry of a blog whatever code tries it. Real transactions on PostgreSQL (the database
is flushed afterwards, so the file runs apart: Makefile FLUSHING_TESTS)."""

import threading

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction

from toasoan.live import desk
from toasoan.live.models import LiveEntry

from .conftest import add_live_page


def test_the_database_holds_one_pinned_entry_per_blog(db, section, roles, chief):
    blog = add_live_page(section)
    first = desk.write(blog, chief, text="Một")
    second = desk.write(blog, chief, text="Hai")
    desk.pin(first, chief)
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveEntry.objects.filter(pk=second.pk).update(is_pinned=True)
    desk.pin(second, chief)  # the desk's way: the first is unpinned
    assert list(LiveEntry.objects.filter(is_pinned=True)) == [second]


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks between two connections: PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_two_editors_pinning_at_once_leave_one_pinned_entry(section, roles, chief, editor):
    blog = add_live_page(section)
    entries = [desk.write(blog, chief, text=f"Mục {n}") for n in range(2)]
    for round_ in range(5):
        start = threading.Barrier(2)
        failures: list[BaseException] = []

        def pin(entry, user, start=start, failures=failures):
            try:
                start.wait(5)
                desk.pin(LiveEntry.objects.get(pk=entry.pk), user)
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=pin, args=(entries[0], chief)),
            threading.Thread(target=pin, args=(entries[1], editor)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
        assert not failures, failures
        assert LiveEntry.objects.filter(blog=blog, is_pinned=True).count() == 1, round_
        LiveEntry.objects.filter(blog=blog).update(is_pinned=False)
