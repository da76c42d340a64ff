"""Two editors cutting the same print version at once (real transactions: the test ends
with a flush, so it runs apart, with the Makefile's FLUSHING_TESTS)."""

import pytest

from toasoan.printing.models import PrintVersion


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_saves_make_one_print_version(newsroom, stories):
    """Two editors' first saves at the same moment, each in its own connection."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    from toasoan.printing.versions import StaleVersion, save_version, unsaved_version

    story = stories[0]
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers by itself)")

    def cut(title):
        try:
            save_version(unsaved_version(story), title=title, sapo="", body="B.", user=None, base=0)
            return "saved"
        except StaleVersion:
            return "stale"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        results = sorted(pool.map(cut, ["Tít một", "Tít hai"]))
    assert results == ["saved", "stale"]
    assert PrintVersion.objects.filter(story=story).count() == 1
    assert list(
        PrintVersion.objects.get(story=story).revisions.values_list("number", flat=True)
    ) == [2, 1]
