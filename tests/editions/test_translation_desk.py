"""The translation desk: request, translate side by side, save, submit, approve, publish;
out-of-date flags after the source changes; translation memory; no machine translation."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import StringSegment, StringTranslation

from tests.editions.conftest import request_translation, translate_segments, user_in
from tests.factories import ArticlePageFactory
from toasoan.editions import desk, outdated
from toasoan.editions.memory import MEMORY_TOOL

pytestmark = pytest.mark.django_db


def test_an_editor_requests_an_english_version_as_a_draft(client, desks, story, en_section):
    editor = user_in("Biên tập viên", f"Ban {story.get_parent().title}")
    client.force_login(editor)
    url = reverse("wagtail_localize:submit_page_translation", args=[story.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"locales": [en_section.locale_id]})
    assert response.status_code == 302
    english = story.get_translation(en_section.locale).specific
    assert not english.live, "a translation waits for its desk"
    assert english.get_parent().pk == en_section.pk


def test_translator_edits_segments_but_cannot_publish(client, desks, story, en_section):
    translation = request_translation(story, en_section.locale)
    english = translation.get_target_instance()
    translator = user_in("Biên dịch viên")
    client.force_login(translator)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).content.decode()
    assert "js-translation-editor" in html and "data-translation-desk" in html
    segment = StringSegment.objects.filter(source=translation.source, context__path="title").get()
    response = client.put(
        reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk]),
        "value=External+information+drives+growth",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 201)
    assert StringTranslation.objects.get(context=segment.context).data == (
        "External information drives growth"
    )
    assert not english.permissions_for_user(translator).can_publish()


def _translate_all(translation, user=None):
    return translate_segments(translation, lambda text: f"EN {text}", user)


def test_submit_needs_every_segment_then_goes_to_the_english_desk(client, desks, story, en_section):
    translation = request_translation(story, en_section.locale)
    english = translation.get_target_instance().specific
    translator = user_in("Biên dịch viên")
    client.force_login(translator)
    submit = reverse("editions_submit", args=[translation.pk])
    response = client.post(submit)
    assert english.current_workflow_state is None
    assert any("chưa dịch" in str(m) for m in get_messages(response.wsgi_request))

    _translate_all(translation, translator)
    response = client.post(submit)
    assert response.status_code == 302
    english.refresh_from_db()
    state = english.current_workflow_state
    assert state is not None and state.workflow.name == "Quy trình Ban Tiếng Anh"
    assert english.current_workflow_task.name == "Ban Tiếng Anh duyệt"
    assert english.get_latest_revision_as_object().title.startswith("EN ")

    desk_editor = user_in("Biên tập viên", "Ban Tiếng Anh")
    chief = user_in("Tổng biên tập")
    for approver in (desk_editor, chief):
        client.force_login(approver)
        task_state = english.current_workflow_task_state
        response = client.post(
            reverse(
                "wagtailadmin_pages:workflow_action", args=[english.pk, "approve", task_state.pk]
            )
        )
        assert response.status_code in (200, 302)
        english.refresh_from_db()
    assert english.live and english.title.startswith("EN ")
    assert client.get(english.url).status_code == 200


def test_refused_submission_changes_nothing_and_says_why(client, desks, story, en_section):
    translation = request_translation(story, en_section.locale)
    translator = user_in("Biên dịch viên")
    with pytest.raises(desk.DeskError, match="chưa dịch"):
        desk.submit(translation, translator)
    english = translation.get_target_instance().specific
    assert english.current_workflow_state is None


def test_out_of_date_translation_shows_what_changed(client, desks, story, en_section):
    translation = request_translation(story, en_section.locale)
    _translate_all(translation)
    assert outdated.source_changes(translation.source) == []
    story.sapo = "Chiều nay 22.12, UBND tỉnh họp báo về kết quả đối ngoại."
    story.save_revision().publish()
    found = outdated.source_changes(translation.source)
    assert [c.field for c in found] == ["Sapo"]
    assert found[0].added == ["Chiều nay 22.12, UBND tỉnh họp báo về kết quả đối ngoại."]
    assert found[0].removed and found[0].removed[0].startswith("Sáng nay")
    assert translation in outdated.possibly_out_of_date()

    editor = user_in("Tổng biên tập")
    client.force_login(editor)
    report = client.get(reverse("editions_report")).content.decode()
    assert "data-stale-translation" in report
    english = translation.get_target_instance()
    page = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk])).content.decode()
    assert "data-out-of-date" in page and "Chiều nay 22.12" in page

    # The sync: unchanged segments keep their translation, the changed one waits.
    translation.source.update_from_db()
    total, done = translation.get_progress()
    assert total - done == 1
    assert outdated.source_changes(translation.source) == []


def test_identical_segments_are_reused_from_translation_memory(desks, story, section, en_section):
    first = request_translation(story, en_section.locale)
    _translate_all(first)
    again = ArticlePageFactory(parent=section, title="Một bài khác", sapo=story.sapo)
    second = request_translation(again, en_section.locale)
    sapo = StringSegment.objects.get(source=second.source, context__path="sapo")
    reused = StringTranslation.objects.get(
        translation_of=sapo.string, context=sapo.context, locale=en_section.locale
    )
    assert reused.data == f"EN {story.sapo}" and reused.tool_name == MEMORY_TOOL
    title = StringSegment.objects.get(source=second.source, context__path="title")
    assert not StringTranslation.objects.filter(
        translation_of=title.string, context=title.context
    ).exists()


def test_no_machine_translation_unless_configured(settings):
    assert get_machine_translator() is None
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "toasoan.editions.machine.MemoryTranslator",
        "OPTIONS": {},
    }
    assert get_machine_translator().display_name


def test_syncing_cannot_publish_past_the_desk(client, desks, story, en_section):
    translation = request_translation(story, en_section.locale)
    _translate_all(translation)
    editor = user_in("Biên tập viên", f"Ban {story.get_parent().title}")
    client.force_login(editor)
    url = reverse("wagtail_localize:update_translations", args=[translation.source_id])
    client.post(url, {"publish_translations": "on"})
    english = translation.get_target_instance()
    english.refresh_from_db()
    assert not english.live
