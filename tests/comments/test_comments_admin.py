"""The moderation queue in the admin, for the "Kiểm duyệt bình luận" group."""

import json
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.factories import ArticlePageFactory, UserFactory
from toasoan.comments.models import ArticleCommentState, BlockedSender, Comment, Status
from toasoan.newsroom.roles import ensure_roles

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/comments/comment/"


def staff(home, role: str):
    user = UserFactory()
    user.groups.add(ensure_roles(home)[role])
    return user


@pytest.fixture
def moderator_client(client, home):
    client.force_login(
        staff(home, "Kiểm duyệt bình luận"), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def comment(story, text="Ý kiến", **kwargs):
    return Comment.objects.create(
        article=story, name=kwargs.pop("name", "Bạn đọc"), email="bd@x.vn", text=text, **kwargs
    )


def test_queue_filters_by_status_and_story(moderator_client, story, section):
    other = ArticlePageFactory(parent=section, title="Bài thứ hai về lễ hội")
    comment(story, "Chờ ở bài một")
    comment(other, "Chờ ở bài hai")
    comment(story, "Đã duyệt rồi", status=Status.APPROVED)
    html = moderator_client.get(QUEUE + "?status=pending").content.decode()
    assert "Chờ ở bài một" in html and "Chờ ở bài hai" in html and "Đã duyệt rồi" not in html
    html = moderator_client.get(QUEUE + f"?status=pending&article={other.pk}").content.decode()
    assert "Chờ ở bài hai" in html and "Chờ ở bài một" not in html
    html = moderator_client.get(QUEUE + "?status=approved").content.decode()
    assert "Đã duyệt rồi" in html and "Chờ ở bài" not in html


def test_bulk_approve_reject_and_spam(moderator_client, client, story):
    first, second, third = (comment(story, f"Bình luận {n}") for n in range(3))
    held = comment(story, "Có từ cấm", flag="Có từ cấm: x")
    ids = f"id={first.pk}&id={second.pk}&id={held.pk}"
    url = f"/admin/bulk/comments/comment/approve/?{ids}&next={QUEUE}"
    assert "Có, thực hiện" in moderator_client.get(url).content.decode()
    response = moderator_client.post(url, follow=True)
    assert "Đã duyệt: 2 bình luận." in response.content.decode()
    assert "1 bình luận bị giữ để xem kỹ chưa được duyệt" in response.content.decode()
    assert Comment.objects.get(pk=first.pk).status == Status.APPROVED
    assert Comment.objects.get(pk=held.pk).status == Status.PENDING
    moderator_client.post(f"/admin/bulk/comments/comment/spam/?id={third.pk}&next={QUEUE}")
    assert Comment.objects.get(pk=third.pk).status == Status.SPAM
    moderator_client.post(f"/admin/bulk/comments/comment/reject/?id={second.pk}&next={QUEUE}")
    assert Comment.objects.get(pk=second.pk).status == Status.REJECTED
    assert "(1) Bình luận" in client.get(story.url).content.decode()


def test_moderator_edits_out_personal_data(moderator_client, client, story):
    c = comment(story, "Gọi tôi 0905 123 456 nhé", status=Status.APPROVED)
    assert "0905 123 456" in client.get(story.url).content.decode()
    response = moderator_client.post(
        f"{QUEUE}edit/{c.pk}/",
        {"name": "Bạn đọc", "text": "Gọi tôi [đã xoá số điện thoại] nhé", "status": "approved"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(story.url).content.decode()
    assert "0905 123 456" not in html and "[đã xoá số điện thoại]" in html


def test_staff_reply_and_block_from_the_queue(moderator_client, client, story):
    c = comment(story, "Cho hỏi lịch lễ hội?", ip_address="192.0.2.5")
    response = moderator_client.post(
        f"/admin/binh-luan/{c.pk}/tra-loi/", {"text": "Lễ hội bắt đầu ngày 14/2."}
    )
    assert response.status_code == 302
    reply = Comment.objects.get(is_staff_reply=True)
    assert reply.status == Status.APPROVED and reply.parent == c
    html = client.get(story.url).content.decode()
    assert "Lễ hội bắt đầu ngày 14/2." in html and "Cho hỏi lịch lễ hội?" in html

    spammer = comment(story, "Mua hàng giá rẻ", ip_address="192.0.2.99")
    response = moderator_client.post(
        f"/admin/binh-luan/{spammer.pk}/chan/", {"email": "on", "ip": "on", "reason": "Quảng cáo"}
    )
    assert response.status_code == 302
    assert set(BlockedSender.objects.values_list("kind", "value")) == {
        ("email", "bd@x.vn"),
        ("ip", "192.0.2.99"),
    }
    assert Comment.objects.get(pk=spammer.pk).status == Status.SPAM
    empty = moderator_client.post(f"/admin/binh-luan/{spammer.pk}/chan/", {})
    assert "Chọn chặn email, địa chỉ IP hoặc cả hai." in empty.content.decode()


def test_dashboard_shows_pending_count(moderator_client, story):
    for n in range(3):
        comment(story, f"Chờ {n}")
    comment(story, "Xong", status=Status.APPROVED)
    html = moderator_client.get("/admin/").content.decode()
    assert "<span>3</span> bình luận chờ duyệt" in html


def test_personal_data_export_and_erase_in_the_admin(moderator_client, story):
    Comment.objects.create(article=story, name="Mai", email="mai@x.vn", text="Một")
    Comment.objects.create(article=story, name="Mai", email="mai@x.vn", text="Hai")
    comment(story, "Của người khác")
    url = "/admin/binh-luan-du-lieu-ca-nhan/"
    found = moderator_client.post(url, {"email": "MAI@x.vn", "action": "find"})
    assert "2 bình luận" in found.content.decode()
    export = moderator_client.post(url, {"email": "mai@x.vn", "action": "export"})
    assert export["Content-Disposition"].startswith("attachment;")
    assert [c["noi_dung"] for c in json.loads(export.content)["binh_luan"]] == ["Một", "Hai"]
    refused = moderator_client.post(url, {"email": "mai@x.vn", "action": "erase"})
    assert "Hãy đánh dấu ô xác nhận" in refused.content.decode()
    assert Comment.objects.filter(email="mai@x.vn").count() == 2
    moderator_client.post(url, {"email": "mai@x.vn", "action": "erase", "confirm": "on"})
    assert Comment.objects.filter(email="mai@x.vn").count() == 0
    assert Comment.objects.count() == 1


def test_editor_closes_comments_on_a_story(client, home, story):
    chief = staff(home, "Tổng biên tập")
    client.force_login(chief, backend="django.contrib.auth.backends.ModelBackend")
    edit = client.get(f"/admin/pages/{story.pk}/edit/").content.decode()
    assert "Đóng bình luận" in edit
    client.post(f"/admin/binh-luan/bai/{story.pk}/dong-mo/")
    assert ArticleCommentState.objects.get(pk=story.pk).closed
    client.logout()
    assert "Bài viết đã đóng bình luận." in client.get(story.url).content.decode()


def test_other_roles_cannot_moderate(client, home, story):
    c = comment(story)
    reporter = staff(home, "Phóng viên")
    client.force_login(reporter, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(QUEUE).status_code in (302, 403)
    assert client.post(f"/admin/binh-luan/{c.pk}/tra-loi/", {"text": "x"}).status_code in (302, 403)
    assert client.post(f"/admin/binh-luan/bai/{story.pk}/dong-mo/").status_code in (302, 403)
    quick = client.post(f"/admin/binh-luan/{c.pk}/kiem-duyet/", {"status": "approved"})
    assert quick.status_code in (302, 403)
    assert Comment.objects.get(pk=c.pk).status == Status.PENDING
    assert Comment.objects.count() == 1 and not ArticleCommentState.objects.exists()
    assert client.get("/admin/binh-luan-du-lieu-ca-nhan/").status_code in (302, 403)
    assert "bình luận chờ duyệt" not in client.get("/admin/").content.decode()


# --- one-click moderation in the queue ----------------------------------------------------------
def row_form(html: str, pk: int) -> dict:
    """What a browser without script sends from one row's form: its address and fields."""
    form = BeautifulSoup(html, "html.parser").select_one(f"tr#binh-luan-{pk} form")
    fields = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    buttons = {b.get_text(strip=True): b["value"] for b in form.select("button[name=status]")}
    return {"action": form["action"], "fields": fields, "buttons": buttons}


def press(client, html: str, pk: int, label: str):
    form = row_form(html, pk)
    return client.post(form["action"], {**form["fields"], "status": form["buttons"][label]})


def test_one_click_approve_and_reject_keep_the_filter_and_the_page(moderator_client, client, story):
    waiting = [comment(story, f"Chờ số {n}") for n in range(53)]  # 50 a page: 3 on page 2
    newest_first = waiting[::-1]
    on_page_two = newest_first[50:]
    listing = QUEUE + "?status=pending&p=2"
    html = moderator_client.get(listing).content.decode()
    assert row_form(html, on_page_two[0].pk)["buttons"] == {
        "Duyệt": "approved",
        "Từ chối": "rejected",
    }

    response = press(moderator_client, html, on_page_two[0].pk, "Duyệt")
    assert response.status_code == 302
    assert response["Location"] == f"{listing}#binh-luan-{on_page_two[1].pk}"
    assert Comment.objects.get(pk=on_page_two[0].pk).status == Status.APPROVED
    assert on_page_two[0].text in client.get(story.url).content.decode()

    page = moderator_client.get(response["Location"]).content.decode()
    assert "Đã duyệt bình luận của “Bạn đọc”." in page and "Hoàn tác" in page
    assert f'id="binh-luan-{on_page_two[1].pk}"' in page  # the row to carry on from
    assert f'id="binh-luan-{on_page_two[0].pk}"' not in page  # no longer waiting
    assert "Trạng thái:" in page and '<b class="w-ml-1">Chờ duyệt</b>' in page  # filter kept

    last = on_page_two[2]
    response = press(moderator_client, page, last.pk, "Từ chối")
    assert response["Location"] == f"{listing}#binh-luan-{on_page_two[1].pk}"  # the one above
    assert Comment.objects.get(pk=last.pk).status == Status.REJECTED
    assert Comment.objects.filter(status=Status.PENDING).count() == 51


def test_quick_actions_need_a_post_with_csrf_and_a_real_status(moderator_client, home, story):
    c = comment(story)
    url = f"/admin/binh-luan/{c.pk}/kiem-duyet/"
    assert moderator_client.get(url + "?status=approved").status_code == 405
    response = moderator_client.post(url, {"status": "xoá", "next": QUEUE}, follow=True)
    assert "Thao tác không hợp lệ; bình luận không thay đổi." in response.content.decode()
    outside = moderator_client.post(url, {"status": "approved", "next": "https://example.com/"})
    assert outside["Location"] == QUEUE + "?status=pending"  # never sent to another site
    c.refresh_from_db()
    assert c.status == Status.APPROVED

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(
        staff(home, "Kiểm duyệt bình luận"), backend="django.contrib.auth.backends.ModelBackend"
    )
    assert strict.post(url, {"status": "rejected"}).status_code == 403
    c.refresh_from_db()
    assert c.status == Status.APPROVED


def test_a_rejected_comment_can_be_undone_and_restored(moderator_client, client, story):
    shown = comment(story, "Đã lên trang", status=Status.APPROVED)
    listing = QUEUE + "?status=approved"
    html = moderator_client.get(listing).content.decode()
    response = press(moderator_client, html, shown.pk, "Từ chối")
    assert "Đã lên trang" not in client.get(story.url).content.decode()
    page = moderator_client.get(response["Location"]).content.decode()
    assert "Đã từ chối bình luận của “Bạn đọc”; nó vẫn ở bộ lọc “Từ chối”." in page
    undo = BeautifulSoup(page, "html.parser").select_one("form[data-comment-undo]")
    fields = {i["name"]: i["value"] for i in undo.select("input[type=hidden]")}
    assert fields["status"] == "approved" and fields["next"] == listing
    response = moderator_client.post(undo["action"], fields)
    assert response["Location"] == f"{listing}#binh-luan-{shown.pk}"
    assert Comment.objects.get(pk=shown.pk).status == Status.APPROVED
    assert "Đã lên trang" in client.get(story.url).content.decode()

    waiting = comment(story, "Lỡ tay từ chối")
    html = moderator_client.get(QUEUE + "?status=pending").content.decode()
    press(moderator_client, html, waiting.pk, "Từ chối")
    rejected = moderator_client.get(QUEUE + "?status=rejected").content.decode()
    assert row_form(rejected, waiting.pk)["buttons"] == {
        "Duyệt": "approved",
        "Khôi phục": "pending",
    }
    press(moderator_client, rejected, waiting.pk, "Khôi phục")
    assert Comment.objects.get(pk=waiting.pk).status == Status.PENDING
    assert "Lỡ tay từ chối" in moderator_client.get(QUEUE + "?status=pending").content.decode()


def test_reply_and_block_come_back_to_the_same_list(moderator_client, story):
    asking = comment(story, "Cho hỏi giờ mở cửa?", ip_address="192.0.2.8")
    listing = QUEUE + "?status=pending&article=" + str(story.pk)
    html = moderator_client.get(listing).content.decode()
    reply_url = f"/admin/binh-luan/{asking.pk}/tra-loi/?" + urlencode({"next": listing})
    assert reply_url.replace("&", "&amp;") in html  # in the row's ⋯ menu
    response = moderator_client.post(reply_url, {"text": "Mở cửa từ 7 giờ."})
    assert response["Location"] == listing
    block_url = f"/admin/binh-luan/{asking.pk}/chan/?" + urlencode({"next": listing})
    assert block_url.replace("&", "&amp;") in html
    assert moderator_client.post(block_url, {"email": "on"})["Location"] == listing


def test_the_queue_explains_staff_replies_and_the_keys(moderator_client, story):
    c = comment(story)
    html = moderator_client.get(QUEUE + "?status=pending").content.decode()
    assert "<strong>Phản hồi của tòa soạn</strong> là lời đáp công khai của tòa soạn" in html
    assert "Phím tắt:" in html and "<kbd>a</kbd> duyệt" in html
    edit = moderator_client.get(f"{QUEUE}edit/{c.pk}/").content.decode()
    assert "hiện ngay dưới bình luận của bạn đọc" in edit


def test_saving_the_edit_form_comes_back_to_the_filtered_list(moderator_client, story):
    c = comment(story, "Số tôi là 0905 123 456")
    listing = QUEUE + "?status=pending&article=" + str(story.pk)
    html = moderator_client.get(listing).content.decode()
    link = BeautifulSoup(html, "html.parser").select_one(f"tr#binh-luan-{c.pk} td.title a")["href"]
    assert link == f"{QUEUE}edit/{c.pk}/?" + urlencode({"next": listing})
    form = moderator_client.get(link).content.decode()
    action = BeautifulSoup(form, "html.parser").select_one(f'form[action^="{QUEUE}edit/"]')[
        "action"
    ]
    response = moderator_client.post(
        action, {"name": "Bạn đọc", "text": "Số tôi là [đã xoá]", "status": "pending"}
    )
    assert response.status_code == 302 and response["Location"] == listing
    assert Comment.objects.get(pk=c.pk).text == "Số tôi là [đã xoá]"
