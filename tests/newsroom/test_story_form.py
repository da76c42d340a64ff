"""The story edit form: its title field works without console errors."""

import re

import pytest

from tests.factories import UserFactory
from toasoan.newsroom.roles import REPORTER
from toasoan.newsroom.workflow import setup_newsroom

pytestmark = pytest.mark.django_db


def test_story_title_has_no_slug_sync_without_a_slug_field(client, home, section):
    """Stories have no slug field: Wagtail's title → slug sync had an empty target, and its
    script threw "The provided selector is empty" at every key press in the title."""
    groups = setup_newsroom(home)
    reporter = UserFactory(username="pv")
    reporter.groups.add(groups[REPORTER])
    client.force_login(reporter)
    page = client.get(f"/admin/pages/add/newsroom/articlepage/{section.pk}/").content.decode()
    title = re.search(r"<input[^>]*id=\"id_title\"[^>]*>", page).group(0)
    assert "w-sync" not in title
    assert 'placeholder="' in title  # still the big title field asking for a title
    assert 'name="slug"' not in page


def test_photo_file_field_has_no_half_removed_title_sync():
    """The photo's title comes from its caption, so the file field's copy-name-to-title sync
    was taken off; only its target went, and the controller left behind threw "The provided
    selector is empty" at every upload from a story."""
    from wagtail.images import get_image_model
    from wagtail.images.forms import get_image_form

    form = get_image_form(get_image_model())()
    rendered = str(form["file"])
    assert 'type="file"' in rendered
    assert "w-sync" not in rendered
