"""Two editors cutting the same print version at once (real transactions: the test ends
with a flush, so it runs apart, with the Makefile's FLUSHING_TESTS)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connections

from tests.factories import ArticlePageFactory
from toasoan.printing.models import PrintVersion
from toasoan.printing.versions import StaleVersion, save_version, unsaved_version


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row locks need PostgreSQL (SQLite serialises writers by itself)",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_saves_make_one_print_version(section):
    """Two editors' first saves at the same moment, each in its own connection. (A story
    alone: the newsroom's roles need rows the flushes before this file take away.)"""
    story = ArticlePageFactory(parent=section, title="Hoạt động thông tin đối ngoại")

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
