"""Issue #16: the editorial workflow no longer lets people hurt themselves.

Each test drives the real admin views as the person concerned (reporter, contributor, section
editor, managing editor, editor-in-chief) and checks what they would see or what happens.
"""

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from tests.factories import PenNameFactory, PhotoFactory, image_file
from tests.newsroom.helpers import draft_by, submit
from tests.staff import client_for
from toasoan.core.text import vi_sort_key
from toasoan.newsroom.admin_views import CANCEL_CONFIRMED, CANCEL_NOTE
from toasoan.newsroom.models import ArticlePage, PenName, Photo, SectionPage

pytestmark = pytest.mark.django_db

NOTE = "Thiếu nguồn tin: bổ sung tên người phát biểu."


@pytest.fixture
def desk(newsroom):
    """The newsroom with real names and pen names, and a story of the reporter in review."""
    p = newsroom["people"]
    names = {
        "ctv": "Lê Thị Trâm",
        "pv": "Võ Văn An",
        "btv": "Nguyễn Minh Hải",
        "tkts": "Trần Thu Hà",
        "tbt": "Nguyễn Văn Quang",
    }
    for key, name in names.items():
        p[key].first_name, p[key].last_name = name, ""
        p[key].save()
    pens = {
        "pv": PenNameFactory(name="V.A", staff_member=p["pv"]),
        "ctv": PenNameFactory(name="LÊ TRÂM", staff_member=p["ctv"]),
        "tbt": PenNameFactory(name="NGUYỄN QUANG", staff_member=p["tbt"]),
    }
    politics, _ = newsroom["sections"]
    title = "Đê biển Tam Thanh được gia cố"
    story = draft_by(p["pv"], politics, title=title, pen_names=[pens["pv"]])
    return {**newsroom, "pens": pens, "story": story}


def story_data(page, **changes) -> dict:
    """The story's edit form as the editor posts it, with `changes`."""
    page = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    bylines = [
        {"id": b.pk or "", "pen_name": b.pen_name_id, "role": b.role} for b in page.bylines.all()
    ]
    data = {
        "title": page.title,
        "kind": page.kind,
        "lead_prefix": page.lead_prefix,
        "sapo": page.sapo,
        "cover_image": page.cover_image_id or "",
        "body": streamfield([("paragraph", rich_text("<p>Nội dung.</p>"))]),
        "bylines": inline_formset(bylines, initial=len(bylines), min=1),
        "topics": "",
        "related_links": inline_formset([]),
        "corrections": streamfield([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
    }
    data.update(changes)
    return nested_form_data(data)


def edit(client, page, action: dict, **changes):
    return client.post(
        f"/admin/pages/{page.pk}/edit/", {**story_data(page, **changes), **action}, follow=True
    )


def workflow_action(name: str, **extra) -> dict:
    return {
        "action-workflow-action": "true",
        "workflow-action-name": name,
        "workflow-action-extra-data": json.dumps(extra),
    }


def messages_of(response) -> list[str]:
    """The messages shown, as text (Wagtail's carry HTML buttons: "Sửa", "Xem bản nháp")."""
    texts = (re.sub(r"<[^>]+>", " ", str(m.message)) for m in response.context["messages"])
    return [re.sub(r"\s+", " ", text).strip() for text in texts]


def state_of(page) -> WorkflowState:
    return WorkflowState.objects.for_instance(page).order_by("-created_at").first()


def menu_of(html: str) -> list[str]:
    """The labels of the editor's action menu, in order (main button first)."""
    footer = html[html.index("<footer") : html.index("</footer>")]
    footer = re.sub(r"<template\b.*?</template>", "", footer, flags=re.S)  # dialogs
    labels = re.findall(r"<(?:button|a)\b[^>]*>(.*?)</(?:button|a)>", footer, re.S)
    texts = [re.sub(r"<[^>]+>|\s+", " ", label).strip() for label in labels]
    return [t for t in texts if t and t != "Thao tác khác"]


# --- 2. "Yêu cầu sửa" needs a note ---------------------------------------------------------------
def test_request_changes_without_a_note_is_refused_everywhere(desk):
    p, story = desk["people"], desk["story"]
    submit(story, p["pv"])
    btv = client_for(p["btv"])
    state = ArticlePage.objects.get(pk=story.pk).current_workflow_task_state
    # The dialog of the editor: the form asks for the note again.
    dialog = btv.post(
        f"/admin/pages/workflow/collect_action_data/{story.pk}/reject/{state.pk}/",
        {"comment": "  "},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert "Ghi rõ cần sửa gì" in json.loads(dialog.content)["html"]
    # The dashboard's dialog, and a form posted without it.
    url = f"/admin/pages/workflow/action/{story.pk}/reject/{state.pk}/"
    again = btv.post(url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
    assert "Ghi rõ cần sửa gì" in json.loads(again.content)["html"]
    btv.post(url, {}, follow=True)
    # The editor's form, posted with an empty note.
    refused = edit(btv, story, workflow_action("reject", comment=""))
    assert "“Yêu cầu sửa” cần ghi chú cho người viết. Không có gì thay đổi." in messages_of(refused)
    assert TaskState.objects.get(pk=state.pk).status == TaskState.STATUS_IN_PROGRESS
    # With a note, the story goes back, and its writer reads the note.
    edit(btv, story, workflow_action("reject", comment=NOTE))
    assert state_of(story).status == WorkflowState.STATUS_NEEDS_CHANGES
    assert NOTE in client_for(p["pv"]).get("/admin/").content.decode()


# --- 3. cancelling a review: last in the menu, confirmed, the writer told ------------------------
def test_cancel_is_last_in_the_reviewers_menu_behind_a_dialog(desk):
    p, story = desk["people"], desk["story"]
    submit(story, p["pv"])
    html = client_for(p["btv"]).get(f"/admin/pages/{story.pk}/edit/").content.decode()
    menu = menu_of(html)
    assert menu[:2] == ["Lưu nháp", "Duyệt"]  # the step's own actions come first
    assert menu[-1] == "Hủy quy trình duyệt…"
    # The menu item only opens the dialog; the dialog's button is the one that cancels.
    assert 'data-a11y-dialog-show="cancel-review-dialog"' in html
    dialog = html[html.index('id="cancel-review-dialog"') :]
    assert f'name="action-cancel-workflow" value="{CANCEL_CONFIRMED}"' in dialog
    assert "Võ Văn An nhận thư báo" in dialog


def test_a_cancel_not_confirmed_changes_nothing_a_confirmed_one_tells_the_writer(desk, mailoutbox):
    p, story = desk["people"], desk["story"]
    p["pv"].email = "pv@toasoan.test"
    p["pv"].save()
    submit(story, p["pv"])
    btv = client_for(p["btv"])
    # What Wagtail's one-click menu item posted.
    refused = edit(btv, story, {"action-cancel-workflow": "Hủy quy trình duyệt"})
    assert "cần được xác nhận" in " ".join(messages_of(refused))
    assert state_of(story).status == WorkflowState.STATUS_IN_PROGRESS
    mailoutbox.clear()

    reason = "Tin trùng với bài đã đăng sáng nay."
    done = edit(btv, story, {"action-cancel-workflow": CANCEL_CONFIRMED, CANCEL_NOTE: reason})
    assert state_of(story).status == WorkflowState.STATUS_CANCELLED
    assert (
        "Đã hủy quy trình duyệt “Đê biển Tam Thanh được gia cố”; bài trở về bản nháp. "
        "Đã báo cho Võ Văn An." in " ".join(messages_of(done))
    )
    (mail,) = [m for m in mailoutbox if "pv@toasoan.test" in m.to]
    assert "đã bị hủy duyệt" in mail.subject and reason in mail.body
    assert "Nguyễn Minh Hải đã hủy quy trình duyệt" in mail.body
    # The writer sees why on the dashboard and at the top of the story.
    dashboard = client_for(p["pv"]).get("/admin/").content.decode()
    assert "Hủy duyệt, bài về bản nháp" in dashboard and reason in dashboard
    editor = client_for(p["pv"]).get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert "Quy trình duyệt đã bị hủy" in editor and reason in editor


# --- 4. autosave while drafting, without a pen name yet ------------------------------------------
def test_autosave_keeps_a_draft_without_a_pen_name_submitting_still_needs_one(desk):
    p = desk["people"]
    politics, _ = desk["sections"]
    reporter = client_for(p["pv"])
    empty_row = {"bylines": inline_formset([{"pen_name": "", "role": "viet"}], min=1)}
    data = story_data(desk["story"], title="Bão số 5 đổ bộ Quảng Nam", **empty_row)
    autosave = reporter.post(
        f"/admin/pages/add/newsroom/articlepage/{politics.pk}/",
        data,
        headers={"accept": "application/json"},
    )
    assert autosave.status_code == 200, autosave.content
    draft = ArticlePage.objects.get(pk=autosave.json()["pk"])
    assert draft.title == "Bão số 5 đổ bộ Quảng Nam" and not draft.bylines.exists()
    # Submitting without a pen name is refused, and nothing is sent.
    refused = reporter.post(
        f"/admin/pages/{draft.pk}/edit/",
        {**story_data(draft, title="Bão số 5 đổ bộ Quảng Nam", **empty_row), "action-submit": "1"},
    )
    assert refused.status_code == 200 and "Trường này là bắt buộc" in refused.content.decode()
    assert state_of(draft) is None


def test_an_autosave_carrying_a_decision_only_saves_the_draft(desk):
    """The page still open while the editor's approval is on its way: an autosave posting the
    same form (its decision fields included) must not approve it a second time, or publish."""
    p, story = desk["people"], desk["story"]
    edit(client_for(p["pv"]), story, {"action-submit": "1"})
    step = state_of(story).current_task_state.task.name
    for decision in (workflow_action("approve"), {"action-publish": "1"}):
        autosave = client_for(p["btv"]).post(
            f"/admin/pages/{story.pk}/edit/",
            {**story_data(story, title="Đê biển Tam Thanh được gia cố xong"), **decision},
            headers={"accept": "application/json"},
        )
        assert autosave.status_code == 200 and autosave.json()["success"], autosave.content
        assert state_of(story).current_task_state.task.name == step  # still at the editor's
        story.refresh_from_db()
        assert not story.live
        assert story.get_latest_revision_as_object().title == "Đê biển Tam Thanh được gia cố xong"


# --- 5. pen names: one's own, marked, in Vietnamese order ----------------------------------------
def test_a_new_story_opens_signed_with_the_writers_own_pen_name(desk):
    p, pens = desk["people"], desk["pens"]
    politics, _ = desk["sections"]
    html = client_for(p["pv"]).get(f"/admin/pages/add/newsroom/articlepage/{politics.pk}/")
    byline = re.search(r'<input[^>]*name="bylines-0-pen_name"[^>]*>', html.content.decode())
    assert f'value="{pens["pv"].pk}"' in byline.group(0)


def test_the_chooser_lists_ones_own_first_marked_then_in_vietnamese_order(desk):
    p = desk["people"]
    for name in ("VĨNH AN", "ĐÔNG HÀ", "DŨNG", "EM"):
        PenNameFactory(name=name)
    chooser = client_for(p["pv"]).get("/admin/snippets/choose/newsroom/penname/")
    html = chooser.json()["html"]
    listed = re.findall(r"data-chooser-modal-choice[^>]*>\s*([^<]+?)\s*<", html)
    assert listed == [
        "V.A — của bạn",
        "DŨNG",
        "ĐÔNG HÀ",
        "EM",
        "LÊ TRÂM",
        "NGUYỄN QUANG",
        "VĨNH AN",
    ]


def test_pen_names_sort_as_a_vietnamese_reader_expects():
    names = ["VĨNH AN", "ĐÔNG HÀ", "DŨNG", "EM", "Anh", "Ánh", "Ăn", "Âm", "dung"]
    expected = ["Anh", "Ánh", "Ăn", "Âm", "dung", "DŨNG", "ĐÔNG HÀ", "EM", "VĨNH AN"]
    assert sorted(names, key=vi_sort_key) == expected


def test_a_contributor_signs_only_with_their_own_pen_name(desk):
    p, pens = desk["people"], desk["pens"]
    politics, _ = desk["sections"]
    contributor = client_for(p["ctv"])
    chooser = contributor.get("/admin/snippets/choose/newsroom/penname/").json()["html"]
    assert "LÊ TRÂM — của bạn" in chooser and "NGUYỄN QUANG" not in chooser
    story = draft_by(p["ctv"], politics, title="Bài của cộng tác viên", pen_names=[pens["ctv"]])
    chief_pen = {"bylines": inline_formset([{"pen_name": pens["tbt"].pk, "role": "viet"}], min=1)}
    refused = contributor.post(
        f"/admin/pages/{story.pk}/edit/", {**story_data(story, **chief_pen), "action-submit": "1"}
    )
    assert "Cộng tác viên chỉ ký bài bằng bút danh của mình." in refused.content.decode()
    assert state_of(story) is None
    assert [b.pen_name for b in ArticlePage.objects.get(pk=story.pk).bylines.all()] == [pens["ctv"]]
    # A reporter may credit a colleague (a photographer, a co-writer).
    reporter_story = desk["story"]
    allowed = client_for(p["pv"]).post(
        f"/admin/pages/{reporter_story.pk}/edit/", story_data(reporter_story, **chief_pen)
    )
    assert allowed.status_code == 302


# --- 6. messages, publisher, one publish action, the note in the editor, one resubmit ------------
def test_each_step_says_what_happened(desk):
    p, story = desk["people"], desk["story"]
    title = "“Đê biển Tam Thanh được gia cố”"
    sent = edit(client_for(p["pv"]), story, {"action-submit": "1"})
    assert f"Đã gửi duyệt {title} tới bước “Biên tập viên Thời sự duyệt”." in messages_of(sent)[0]
    returned = edit(client_for(p["btv"]), story, workflow_action("reject", comment=NOTE))
    assert messages_of(returned) == [
        f"Đã trả bài {title} về cho phóng viên Võ Văn An, kèm ghi chú."
    ]
    again = edit(client_for(p["pv"]), story, {"action-submit": "1"})
    assert f"Đã gửi lại {title} tới bước “Biên tập viên Thời sự duyệt”." in messages_of(again)[0]
    for role, step in (("btv", "Thư ký tòa soạn duyệt"), ("tkts", "Tổng biên tập duyệt")):
        approved = edit(client_for(p[role]), story, workflow_action("approve"))
        assert messages_of(approved) == [f"Đã duyệt {title}; bài chuyển tới bước “{step}”."]
    published = edit(client_for(p["tbt"]), story, workflow_action("approve"))
    assert messages_of(published) == [f"Đã duyệt và xuất bản {title}."]
    assert ArticlePage.objects.get(pk=story.pk).live


def test_dashboard_approvals_say_where_the_story_went(desk):
    p, story = desk["people"], desk["story"]
    submit(story, p["pv"])
    state = ArticlePage.objects.get(pk=story.pk).current_workflow_task_state
    response = client_for(p["btv"]).post(
        f"/admin/pages/workflow/action/{story.pk}/approve/{state.pk}/", follow=True
    )
    assert (
        "Đã duyệt “Đê biển Tam Thanh được gia cố”; bài chuyển tới bước “Thư ký tòa soạn duyệt”."
        in messages_of(response)
    )


def test_the_status_panel_credits_whoever_published(desk):
    p, story = desk["people"], desk["story"]
    submit(story, p["pv"])
    for role in ("btv", "tkts", "tbt"):
        edit(client_for(p[role]), story, workflow_action("approve"))
    html = client_for(p["tbt"]).get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert re.search(r"Xuất bản lúc \d\d/\d\d/\d{4} \d\d:\d\d, bởi Nguyễn Văn Quang", html)


def test_the_chief_has_one_way_to_publish_at_the_last_step(desk):
    p, story = desk["people"], desk["story"]
    submit(story, p["pv"])
    for role in ("btv", "tkts"):
        edit(client_for(p[role]), story, workflow_action("approve"))
    menu = menu_of(client_for(p["tbt"]).get(f"/admin/pages/{story.pk}/edit/").content.decode())
    assert "Duyệt và xuất bản" in menu
    assert "Xuất bản" not in menu  # Wagtail's, which would close the review unrecorded


def test_a_returned_story_shows_its_note_and_has_one_way_back(desk):
    p, story = desk["people"], desk["story"]
    submit(story, p["pv"])
    edit(client_for(p["btv"]), story, workflow_action("reject", comment=NOTE))
    html = client_for(p["pv"]).get(f"/admin/pages/{story.pk}/edit/").content.decode()
    note = html[html.index('id="return-note"') :][:1500]
    assert "Bài bị trả lại để sửa" in note and "Nguyễn Minh Hải" in note and NOTE in note
    menu = menu_of(html)
    assert [m for m in menu if m.startswith(("Gửi", "Bắt đầu lại"))] == [
        "Gửi lại bài đã sửa tới bước “Biên tập viên Thời sự duyệt”"
    ]
    # Restarting (Wagtail's other way) sends it back to the step that returned it all the same.
    edit(client_for(p["pv"]), story, {"action-restart-workflow": "1"})
    states = WorkflowState.objects.for_instance(story)
    assert states.count() == 1 and states.get().status == WorkflowState.STATUS_IN_PROGRESS


# --- 7. photos: caption and credit once; titles; sections ----------------------------------------
def test_caption_and_credit_are_asked_only_with_the_photo(desk, client):
    p = desk["people"]
    politics, _ = desk["sections"]
    html = client_for(p["pv"]).get(f"/admin/pages/add/newsroom/articlepage/{politics.pk}/")
    html = html.content.decode()
    assert 'name="cover_caption"' not in html and 'name="cover_credit"' not in html
    assert "Tác giả ảnh đại diện" not in html
    photo = PhotoFactory(caption="Đê biển Tam Thanh sau khi gia cố.", credit="V.A")
    story = ArticlePage.objects.get(pk=desk["story"].pk)
    story.cover_image = photo
    story.body = [("photo", {"image": photo, "wide": False})]
    story.save_revision().publish()
    page = client.get(story.url).content.decode()
    assert page.count("Đê biển Tam Thanh sau khi gia cố.") >= 2
    assert "Ảnh: V.A" in re.sub(r"<[^>]+>", "", page)


@pytest.mark.parametrize(
    "sent_title,caption,expected",
    [
        ("", "Đê biển Tam Thanh sau khi gia cố.", "Đê biển Tam Thanh sau khi gia cố."),
        ("IMG_4521", "Đê biển Tam Thanh sau khi gia cố.", "Đê biển Tam Thanh sau khi gia cố."),
        ("Đê Tam Thanh", "Đê biển Tam Thanh sau khi gia cố.", "Đê Tam Thanh"),
        ("", "", "Ảnh chưa có chú thích ("),
    ],
)
def test_an_uploaded_photo_is_titled_by_its_caption_not_its_file_name(
    desk, sent_title, caption, expected
):
    reporter = client_for(desk["people"]["pv"])
    photo_file = image_file("IMG_4521.jpg")
    photo_file.seek(0)
    upload = SimpleUploadedFile("IMG_4521.jpg", photo_file.read(), content_type="image/jpeg")
    response = reporter.post(
        "/admin/images/chooser/create/",
        {
            "image-chooser-upload-title": sent_title,
            "image-chooser-upload-file": upload,
            "image-chooser-upload-caption": caption,
            "image-chooser-upload-credit": "V.A",
            "image-chooser-upload-collection": "",
            "image-chooser-upload-tags": "",
        },
    )
    assert response.status_code == 200, response.content
    assert Photo.objects.exists(), response.json().get("htmlFragment", "")[:3000]
    photo = Photo.objects.get()
    assert photo.title.startswith(expected) and "IMG_4521" not in photo.title


def test_reporters_are_not_offered_sections(desk):
    p = desk["people"]
    politics, _ = desk["sections"]
    home = politics.get_parent()
    reporter = client_for(p["pv"])
    # "Thêm trang con" in a section goes straight to the story form.
    offered = reporter.get(f"/admin/pages/{politics.pk}/add_subpage/")
    assert offered.status_code == 302
    assert offered.url == f"/admin/pages/add/newsroom/articlepage/{politics.pk}/"
    at_home = reporter.get(f"/admin/pages/{home.pk}/add_subpage/", follow=True)
    assert "Ở đây chỉ thêm được chuyên mục, việc của quản trị." in at_home.content.decode()
    # Nor can they create one by its address.
    form = {"title": "Chuyên mục của phóng viên", "slug": "cm-pv", "intro": ""}
    reporter.post(f"/admin/pages/add/newsroom/sectionpage/{home.pk}/", form)
    reporter.post(f"/admin/pages/add/newsroom/sectionpage/{politics.pk}/", form)
    assert not SectionPage.objects.filter(title="Chuyên mục của phóng viên").exists()
    # Administrators still do.
    admin_offer = client_for(p["admin"]).get(f"/admin/pages/{politics.pk}/add_subpage/")
    assert admin_offer.status_code == 200 and "Chuyên mục" in admin_offer.content.decode()


def test_pen_names_keep_their_order_in_the_database():
    for name in ("VĨNH AN", "ĐÔNG HÀ", "DŨNG", "EM"):
        PenNameFactory(name=name)
    assert list(PenName.objects.values_list("name", flat=True)) == [
        "DŨNG",
        "ĐÔNG HÀ",
        "EM",
        "VĨNH AN",
    ]
