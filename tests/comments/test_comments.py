"""Reader comments: pre-moderation, replies, closing, abuse resistance and personal data."""

import json
import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client, RequestFactory

from tests.factories import ArticlePageFactory
from toasoan.comments import moderation
from toasoan.comments.models import BannedWord, BlockedSender, Comment, Status
from toasoan.comments.moderators import MODERATOR_GROUP
from toasoan.core import ratelimit
from toasoan.core.clients import address_key

pytestmark = pytest.mark.django_db

WAITING = "Bình luận của bạn đang chờ duyệt."


def post_comment(client, story, *, ip="203.0.113.7", token=None, **fields):
    data = {
        "name": "Nguyễn Văn Bình",
        "email": "binh@example.vn",
        "text": "Bài viết rất hay, cảm ơn tòa soạn.",
        "website": "",
        "ts": token if token is not None else moderation.form_token(time.time() - 30),
        **fields,
    }
    return client.post(
        f"/binh-luan/gui/{story.pk}/",
        data,
        HTTP_ACCEPT="application/json",
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="Mozilla/5.0 (Android 14) Chrome/130",
    )


def page_text(client, story) -> str:
    html = client.get(story.url).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_comment_waits_for_a_moderator_then_appears_and_is_counted(client, story):
    response = post_comment(client, story, text="Mong tỉnh tiếp tục quảng bá Hội An.")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "message": WAITING}
    comment = Comment.objects.get()
    assert comment.status == Status.PENDING
    text = page_text(client, story)
    assert "(0) Bình luận" in text and "Mong tỉnh tiếp tục" not in text

    moderation.moderate([comment], Status.APPROVED)
    text = page_text(client, story)
    assert "(1) Bình luận" in text and "Bình luận (1)" in text
    assert "Mong tỉnh tiếp tục quảng bá Hội An." in text and "Nguyễn Văn Bình" in text


def test_count_includes_only_approved_comments_and_visible_replies(client, story):
    approved = Comment.objects.create(
        article=story, name="An", email="an@x.vn", text="Một", status=Status.APPROVED
    )
    Comment.objects.create(article=story, name="B", email="b@x.vn", text="Hai")  # pending
    Comment.objects.create(
        article=story, name="C", email="c@x.vn", text="Ba", status=Status.REJECTED
    )
    Comment.objects.create(article=story, name="D", email="d@x.vn", text="Bốn", status=Status.SPAM)
    Comment.objects.create(
        article=story,
        parent=approved,
        name="E",
        email="e@x.vn",
        text="Năm",
        status=Status.APPROVED,
    )
    assert "(2) Bình luận" in page_text(client, story)
    moderation.moderate([approved], Status.REJECTED)  # its replies go with it
    assert "(0) Bình luận" in page_text(client, story)


def test_replies_nest_under_the_first_comment(client, story):
    first = Comment.objects.create(
        article=story, name="An", email="an@x.vn", text="Câu hỏi?", status=Status.APPROVED
    )
    assert post_comment(client, story, parent=first.pk, text="Trả lời một").status_code == 200
    reply = Comment.objects.get(text="Trả lời một")
    assert reply.parent == first
    moderation.moderate([reply], Status.APPROVED)
    assert (
        post_comment(
            client, story, parent=reply.pk, text="Trả lời hai", email="k@x.vn", ip="203.0.113.9"
        ).status_code
        == 200
    )
    assert Comment.objects.get(text="Trả lời hai").parent == first  # one level of replies
    html = client.get(story.url).content.decode()
    thread = html.split(f'id="bl-{first.pk}"')[1]
    assert "Trả lời một" in thread.split("comment__replies")[1]


def test_replying_to_a_comment_not_approved_is_refused(client, story):
    waiting = Comment.objects.create(article=story, name="An", email="an@x.vn", text="Chờ")
    response = post_comment(client, story, parent=waiting.pk)
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_unpublished_stories_refuse_comments(client, section):
    draft = ArticlePageFactory(parent=section, title="Bản nháp", live=False)
    response = post_comment(client, draft)
    assert response.status_code == 404
    assert response.json()["message"] == "Bài viết không tồn tại hoặc chưa được đăng."
    gone = ArticlePageFactory(parent=section, title="Bài đã gỡ")
    gone.unpublish()
    assert post_comment(client, gone).status_code == 404
    assert not Comment.objects.exists()


def test_editors_close_comments_per_story(client, story):
    moderation.set_comments_closed(story, True)
    response = post_comment(client, story)
    assert response.status_code == 403
    assert response.json()["message"] == "Bài viết này đã đóng bình luận."
    html = client.get(story.url).content.decode()
    assert "Bài viết đã đóng bình luận." in html and "data-comment-form" not in html
    moderation.set_comments_closed(story, False)
    assert post_comment(client, story).status_code == 200


def test_csrf_is_required_and_the_cached_page_carries_no_token(story):
    client = Client(enforce_csrf_checks=True)
    page = client.get(story.url)
    assert "csrftoken" not in page.cookies, "the article page must stay cacheable"
    assert 'name="csrfmiddlewaretoken" value=""' in page.content.decode()
    assert post_comment(client, story).status_code == 403
    session = client.get("/binh-luan/phien/", HTTP_ACCEPT="application/json")
    assert "no-cache" in session["Cache-Control"] or "max-age=0" in session["Cache-Control"]
    csrf, token = session.json()["csrf"], session.json()["ts"]
    moderation_token = moderation.form_token(time.time() - 30)  # as if written for 30 s
    assert token
    response = client.post(
        f"/binh-luan/gui/{story.pk}/",
        {
            "name": "Lê Hoa",
            "email": "hoa@example.vn",
            "text": "Đồng ý với ý kiến của tác giả.",
            "ts": moderation_token,
        },
        HTTP_ACCEPT="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 200 and response.json()["ok"]


def test_form_page_works_without_script(client, story):
    page = client.get(f"/binh-luan/gui/{story.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    token = re.search(r'name="ts" value="([^"]+)"', html).group(1)
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', html)
    response = client.post(
        f"/binh-luan/gui/{story.pk}/",
        {"name": "Lê Hoa", "email": "hoa@example.vn", "text": "Rất hay", "ts": token},
    )
    assert response.status_code == 400  # sent at once: faster than any person writes
    assert "Bạn gửi nhanh quá" in response.content.decode()
    response = client.post(
        f"/binh-luan/gui/{story.pk}/",
        {
            "name": "Lê Hoa",
            "email": "hoa@example.vn",
            "text": "Rất hay",
            "ts": moderation.form_token(time.time() - 20),
        },
    )
    assert response.status_code == 200 and WAITING in response.content.decode()


def test_bad_input_gets_clear_messages_and_stores_nothing(client, story):
    cases = [
        ({"name": ""}, "name", "Vui lòng nhập tên."),
        ({"email": "khong-phai-email"}, "email", "Email không hợp lệ."),
        ({"text": "   "}, "text", "Vui lòng nhập nội dung bình luận."),
        ({"text": "a" * 2001}, "text", "Bình luận dài tối đa 2.000 ký tự (hiện có 2001)."),
    ]
    for fields, field, message in cases:
        response = post_comment(client, story, **fields)
        assert response.status_code == 400, fields
        assert response.json()["errors"][field] == [message]
    assert post_comment(client, story, text="a" * 2000).status_code == 200
    assert Comment.objects.count() == 1


def test_honeypot_is_silently_dropped(client, story):
    response = post_comment(client, story, website="http://spam.example")
    assert response.json() == {"ok": True, "message": WAITING}  # the bot learns nothing
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "token, message",
    [
        ("", "Phiên gửi bình luận không hợp lệ"),
        ("gia-mao:123", "Phiên gửi bình luận không hợp lệ"),
        (None, "Bạn gửi nhanh quá"),  # issued just now
        ("old", "Phiên gửi bình luận đã hết hạn"),
    ],
)
def test_time_to_submit_check(client, story, token, message):
    if token is None:
        token = moderation.form_token()
    elif token == "old":
        token = moderation.form_token(time.time() - 7 * 60 * 60)
    response = post_comment(client, story, token=token)
    assert response.status_code == 400
    assert response.json()["message"].startswith(message)
    assert not Comment.objects.exists()


@pytest.mark.usefixtures("one_rate_window")
def test_rate_limit_per_ip(client, story, settings):
    settings.TOASOAN = {
        **settings.TOASOAN,
        "COMMENT_RATE_LIMITS": {"ip": (3, 600), "email": (9, 600)},
    }
    for n in range(3):
        assert (
            post_comment(client, story, email=f"r{n}@x.vn", text=f"Ý kiến {n}").status_code == 200
        )
    response = post_comment(client, story, email="r9@x.vn", text="Ý kiến thứ tư")
    assert response.status_code == 429
    assert "vui lòng thử lại sau ít phút" in response.json()["message"]
    assert (
        post_comment(client, story, email="r9@x.vn", text="Khác", ip="198.51.100.1").status_code
        == 200
    )
    assert Comment.objects.count() == 4


@pytest.mark.usefixtures("one_rate_window")
def test_rate_limit_per_email(client, story, settings):
    settings.TOASOAN = {
        **settings.TOASOAN,
        "COMMENT_RATE_LIMITS": {"ip": (9, 600), "email": (2, 600)},
    }
    for n in range(2):
        assert post_comment(client, story, ip=f"198.51.100.{n}", text=f"Ý {n}").status_code == 200
    response = post_comment(client, story, ip="198.51.100.50", text="Ý ba", email="BINH@example.vn")
    assert response.status_code == 429
    assert Comment.objects.count() == 2


def reader_key(ip: str) -> str:
    return address_key(RequestFactory().get("/", REMOTE_ADDR=ip))


def test_comment_limits_count_in_the_shared_window_counter(client, story, settings, time_machine):
    """Only stored comments count, in core.ratelimit's window, under the hashed address the
    search and API limits use; the reader may comment again once the window has ended."""
    settings.TOASOAN = {
        **settings.TOASOAN,
        "COMMENT_RATE_LIMITS": {"ip": (2, 600), "email": (9, 600)},
    }
    time_machine.move_to(
        datetime(2025, 3, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    )
    assert post_comment(client, story, text="Ý kiến thứ nhất").status_code == 200
    assert post_comment(client, story, text="Ý kiến thứ nhất").status_code == 400  # a duplicate
    assert ratelimit.counted("comments:ip", reader_key("203.0.113.7"), 600) == 1
    assert post_comment(client, story, text="Ý kiến thứ hai", email="b@x.vn").status_code == 200
    assert ratelimit.counted("comments:ip", reader_key("203.0.113.7"), 600) == 2
    assert post_comment(client, story, text="Ý kiến thứ ba", email="c@x.vn").status_code == 429
    time_machine.shift(600)
    assert post_comment(client, story, text="Ý kiến thứ ba", email="c@x.vn").status_code == 200
    assert Comment.objects.count() == 3


def test_link_limit(client, story):
    three = "Xem http://a.example/1 và https://b.example/2 cùng www.c.example.com"
    response = post_comment(client, story, text=three)
    assert response.status_code == 400
    assert response.json()["errors"]["text"] == ["Bình luận chỉ được chứa tối đa 2 liên kết."]
    assert post_comment(client, story, text="Nguồn: https://baoquangnam.vn/a").status_code == 200


def test_banned_words_hold_the_comment_for_review(
    client, story, settings, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    moderator = UserFactory(email="kiemduyet@toasoan.test")
    moderator.groups.add(Group.objects.create(name=MODERATOR_GROUP))
    BannedWord.objects.create(word="Đồ ngốc")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, story, text="Ai viết bài này đúng là DO NGOC <b>!</b>")
    assert response.json()["message"] == WAITING
    held = Comment.objects.get()
    assert held.status == Status.PENDING and held.flag == "Có từ cấm: do ngoc"
    clean = Comment.objects.create(article=story, name="An", email="an@x.vn", text="Hay")
    done, skipped = moderation.moderate([held, clean], Status.APPROVED, include_flagged=False)
    assert (done, skipped) == (1, 1)
    held.refresh_from_db()
    assert held.status == Status.PENDING  # approved only one by one, after a careful look
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kiemduyet@toasoan.test"] and not message.alternatives
    assert "<b>!</b>" in message.body  # plain text: shown as typed, never rendered


def test_duplicates_are_refused_and_floods_go_to_spam(client, story, section):
    assert post_comment(client, story, text="Hay quá!").status_code == 200
    again = post_comment(client, story, text="  hay   QUÁ! ")
    assert again.status_code == 400 and "đã gửi bình luận này rồi" in again.json()["message"]
    other = ArticlePageFactory(parent=section)
    assert post_comment(client, other, text="Hay quá!", ip="198.51.100.3").status_code == 400
    spam = "Vay tiền nhanh lãi thấp liên hệ ngay"
    for n in range(3):
        post_comment(client, story, text=spam, email=f"s{n}@x.vn", ip=f"198.51.100.{10 + n}")
    statuses = list(
        Comment.objects.filter(text=spam).order_by("pk").values_list("status", flat=True)
    )
    assert statuses == [Status.PENDING, Status.PENDING, Status.SPAM]


def test_blocked_senders_go_to_spam_without_being_told(client, story):
    first = Comment.objects.create(article=story, name="X", email="xau@x.vn", text="Chờ")
    assert moderation.block(first, email=True, ip=False) == 1
    first.refresh_from_db()
    assert first.status == Status.SPAM
    response = post_comment(client, story, email="XAU@x.vn", text="Lại là tôi")
    assert response.json() == {"ok": True, "message": WAITING}
    assert Comment.objects.get(text="Lại là tôi").status == Status.SPAM
    BlockedSender.objects.create(kind="ip", value="192.0.2.66")
    post_comment(client, story, email="moi@x.vn", text="Từ IP bị chặn", ip="192.0.2.66")
    assert Comment.objects.get(text="Từ IP bị chặn").status == Status.SPAM


def test_email_is_never_public(client, story):
    comment = Comment.objects.create(
        article=story,
        name="Trần Thị Mai",
        email="mai.bimat@example.vn",
        text="Cảm ơn bài viết.",
        status=Status.APPROVED,
        ip_address="203.0.113.99",
    )
    moderation.staff_reply(comment, "Cảm ơn bạn đọc.", user=None)
    for url in (
        story.url,
        f"/binh-luan/gui/{story.pk}/",
        f"/binh-luan/gui/{story.pk}/?tra-loi={comment.pk}",
    ):
        html = client.get(url).content.decode()
        assert "mai.bimat" not in html and "203.0.113.99" not in html, url
    html = client.get(story.url).content.decode()
    assert "Trần Thị Mai" in html and "toasoan@localhost" not in html


def test_staff_reply_is_published_and_marked(client, story):
    comment = Comment.objects.create(article=story, name="An", email="an@x.vn", text="Hỏi?")
    moderation.staff_reply(comment, "Tòa soạn xin trả lời: đúng vậy.", user=None)
    html = client.get(story.url).content.decode()
    assert "(2) Bình luận" in re.sub(r"<[^>]+>", "", html)  # the question is approved with it
    assert "comment--staff" in html and ">Tòa soạn</span>" in html


def test_links_are_clickable_only_with_nofollow_ugc(client, story):
    Comment.objects.create(
        article=story,
        name="An",
        email="an@x.vn",
        text="Nguồn https://baoquangnam.vn/bai-1.html và javascript:alert(1)",
        status=Status.APPROVED,
    )
    html = client.get(story.url).content.decode()
    assert (
        '<a href="https://baoquangnam.vn/bai-1.html" rel="nofollow ugc noopener">'
        "https://baoquangnam.vn/bai-1.html</a>" in html
    )
    assert 'href="javascript' not in html


def test_personal_data_export_and_erase(story, section):
    other_story = ArticlePageFactory(parent=section, title="Bài khác")
    mine = Comment.objects.create(
        article=story, name="Mai", email="mai@example.vn", text="Một", status=Status.APPROVED
    )
    Comment.objects.create(article=other_story, name="Mai", email="MAI@example.vn", text="Hai")
    reply = Comment.objects.create(
        article=story, parent=mine, name="Lan", email="lan@x.vn", text="Đáp", status="approved"
    )
    data = json.loads(moderation.export_personal_data(" Mai@Example.vn "))
    assert [c["noi_dung"] for c in data["binh_luan"]] == ["Một", "Hai"]
    assert {c["bai_viet"] for c in data["binh_luan"]} == {story.title, "Bài khác"}
    assert moderation.erase_personal_data("mai@example.vn") == 2
    assert not Comment.objects.filter(email="mai@example.vn").exists()
    reply.refresh_from_db()
    assert reply.parent is None  # other readers' replies stay


def test_text_is_nfc(client, story):
    decomposed = "Tiếng Việt"  # NFD: e + combining marks
    import unicodedata

    nfd = unicodedata.normalize("NFD", decomposed)
    post_comment(client, story, name=nfd, text=nfd + " hay")
    comment = Comment.objects.get()
    assert comment.name == unicodedata.normalize("NFC", decomposed)


def test_control_characters_never_reach_a_stored_comment(client, story):
    """Terminal escapes and XML-forbidden controls become spaces; line breaks stay."""
    post_comment(client, story, name="Bình\x1b[31m", text="Đoạn một\x08\n\nĐoạn\x0bhai\x7f")
    comment = Comment.objects.get()
    assert comment.name == "Bình [31m"
    assert comment.text == "Đoạn một \n\nĐoạn hai"


def test_article_page_with_comments_and_poll_stays_within_15_queries(client, story):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from toasoan.polls.models import Choice, Poll

    for n in range(40):
        parent = Comment.objects.create(
            article=story,
            name=f"Bạn đọc {n}",
            email=f"{n}@x.vn",
            text=f"Ý kiến {n}",
            status=Status.APPROVED,
        )
        Comment.objects.create(
            article=story,
            parent=parent,
            name="Đáp",
            email="d@x.vn",
            text="Đồng ý",
            status=Status.APPROVED,
        )
    poll = Poll(article=story, question="Bạn nghĩ sao?")
    poll.choices.add(Choice(text="Có"), Choice(text="Không"))
    poll.save()
    client.get(story.url)  # warms renditions and the comment/poll caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(story.url)
    assert "(80) Bình luận" in response.content.decode()
    assert len(queries) <= 15, "\n".join(q["sql"][:160] for q in queries)
