"""The live page's own fields as the Wagtail editor saves them: the guests chosen for a Q&A
session stay chosen, in the draft and once published, and sign in to their screen."""

import pytest

from tests.factories import UserFactory
from tests.staff import client_for
from toasoan.live.models import LiveBlogPage

pytestmark = pytest.mark.django_db


def page_data(page, **changes) -> dict:
    """The edit form as Wagtail renders it for `page` (every field at its value), changed."""
    form_class = LiveBlogPage.get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=UserFactory(is_superuser=True))
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue  # nothing posted, as a browser sends an empty box or an unticked one
        data[name] = value
    data.update(changes)  # a list (the guests) is posted as the select sends it: one per value
    return data


def test_guests_chosen_in_the_editor_are_saved(qa_session, chief):
    son, ha = UserFactory(first_name="Sơn"), UserFactory(first_name="Hà")
    editor = client_for(chief)
    url = f"/admin/pages/{qa_session.pk}/edit/"

    draft = editor.post(url, page_data(qa_session, guests=[son.pk, ha.pk]))
    assert draft.status_code == 302, draft.content.decode()[:2000]
    revision = LiveBlogPage.objects.get(pk=qa_session.pk).get_latest_revision_as_object()
    assert {u.pk for u in revision.guests.all()} == {son.pk, ha.pk}

    published = editor.post(url, {**page_data(revision, guests=[son.pk]), "action-publish": "1"})
    assert published.status_code == 302, published.content.decode()[:2000]
    assert list(LiveBlogPage.objects.get(pk=qa_session.pk).guests.all()) == [son]
    assert list(son.live_sessions.all()) == [LiveBlogPage.objects.get(pk=qa_session.pk)]
    assert not ha.live_sessions.exists()
    assert client_for(son).get(f"/giao-luu/khach/{qa_session.pk}/").status_code == 200
    assert client_for(ha).get(f"/giao-luu/khach/{qa_session.pk}/").status_code == 403
