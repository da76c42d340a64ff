"""The moderation queue in the admin, for the "Kiểm duyệt bình luận" group."""

import json

import pytest

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
    assert Comment.objects.count() == 1 and not ArticleCommentState.objects.exists()
    assert client.get("/admin/binh-luan-du-lieu-ca-nhan/").status_code in (302, 403)
    assert "bình luận chờ duyệt" not in client.get("/admin/").content.decode()
