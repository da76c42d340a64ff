"""The managing editor places stories in "Nổi bật" and puts the home page live, without the
right to publish stories (issue #16: their save bar offered only "Lưu nháp")."""

import pytest
from django.test import Client
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from tests.factories import ArticlePageFactory, UserFactory
from toasoan.newsroom.roles import CHIEF_EDITOR, MANAGING_EDITOR, REPORTER, ensure_roles

pytestmark = pytest.mark.django_db


def signed_in(home, role: str):
    user = UserFactory()
    user.groups.add(ensure_roles(home)[role])
    client = Client()
    client.force_login(user)
    return client, user


def featured_block(client) -> str:
    html = client.get("/").content.decode()
    return html.split('id="noi-bat"')[1].split('id="moi-nhat"')[0]


def test_managing_editor_puts_a_story_in_featured_and_readers_see_it(home, section):
    story = ArticlePageFactory(parent=section, title="Tuyến đường ĐT 608 qua Điện Bàn")
    reader = Client()
    assert "ĐT 608" not in featured_block(reader)  # the home page is now cached
    client, _ = signed_in(home, MANAGING_EDITOR)
    form = client.get(f"/admin/pages/{home.pk}/edit/").content.decode()
    assert 'name="action-publish"' in form  # "Xuất bản" in the save bar
    data = nested_form_data(
        {
            "title": home.title,
            "slug": home.slug,
            "featured_slots": inline_formset([{"article": story.pk, "ends_at": ""}]),
        }
    )
    response = client.post(f"/admin/pages/{home.pk}/edit/", {**data, "action-publish": "1"})
    assert response.status_code == 302
    assert "ĐT 608" in featured_block(reader)


def test_placing_featured_publishes_no_story_and_cannot_close_the_paper(home, section):
    draft = ArticlePageFactory(parent=section, title="Bản nháp", live=False)
    _, managing = signed_in(home, MANAGING_EDITOR)
    on_home = home.permissions_for_user(managing)
    assert on_home.can_publish()
    assert not on_home.can_unpublish() and not on_home.can_set_view_restrictions()
    assert not draft.permissions_for_user(managing).can_publish()
    assert not section.permissions_for_user(managing).can_publish()


@pytest.mark.parametrize("role", [REPORTER, CHIEF_EDITOR])
def test_the_home_page_is_put_live_by_the_same_people_as_before(home, role):
    _, user = signed_in(home, role)
    tester = home.permissions_for_user(user)
    assert tester.can_publish() is (role == CHIEF_EDITOR)
    assert tester.can_set_view_restrictions() is (role == CHIEF_EDITOR)
