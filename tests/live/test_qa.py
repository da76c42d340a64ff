"""Online Q&A: three readers ask (one duplicate merged, one rejected), the moderator edits
and forwards, the guest answers on a screen that shows nothing else, answered pairs go
live, the transcript becomes a story draft in the approval flow, and reader contacts appear
nowhere public."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from wagtail.models import WorkflowState

from tests.factories import UserFactory
from tests.staff import client_for
from toasoan.live import questions, reading
from toasoan.live.models import LiveEntry, Question, QuestionStatus
from toasoan.newsroom.models import ArticlePage

from .conftest import add_live_page, token

pytestmark = pytest.mark.django_db

CONTACTS = ("hoa.tran@example.vn", "0905123456", "lan.pham@example.vn")


def ask(client, session, name, text, contact="", address="10.0.0.1", **extra):
    return client.post(
        f"/giao-luu/{session.pk}/hoi/",
        {"name": name, "text": text, "contact": contact, "ts": token(), **extra},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def guest(qa_session):
    user = UserFactory(username="khachmoi", first_name="Sơn", last_name="Hồ")
    qa_session.guests.add(user)
    qa_session.save_revision().publish()  # guests are saved with the page
    return user


@pytest.fixture
def asked(client, qa_session):
    hoa = ask(
        client,
        qa_session,
        "Trần Thị Hoa",
        "Dấu hiệu nào cho thấy sắp sạt lở?",
        CONTACTS[0],
        "10.0.0.1",
    )
    minh = ask(
        client,
        qa_session,
        "Lê Minh",
        "Xin hỏi dấu hiệu nhận biết sạt lở đất?",
        CONTACTS[1],
        "10.0.0.2",
    )
    spam = ask(client, qa_session, "Ẩn danh", "Vay tiền nhanh, liên hệ ngay!", "", "10.0.0.3")
    lan = ask(
        client,
        qa_session,
        "Phạm Thị Lan",
        "Trường học có cho học sinh nghỉ khi mưa lớn?",
        CONTACTS[2],
        "10.0.0.3",
    )
    for response in (hoa, minh, spam, lan):
        assert response.status_code == 200
        assert "Câu hỏi của bạn đã được gửi" in response.content.decode()
    return {q.name: q for q in Question.objects.filter(session=qa_session)}


@pytest.mark.usefixtures("one_rate_window")
def test_reader_form_guards(client, qa_session):
    assert client.get(f"/giao-luu/{qa_session.pk}/hoi/").status_code == 200
    # honeypot: told nothing, nothing stored
    bot = ask(client, qa_session, "Bot", "Mua ngay", website="http://spam.example")
    assert bot.status_code == 200 and not Question.objects.exists()
    # no signed stamp: refused
    stale = client.post(f"/giao-luu/{qa_session.pk}/hoi/", {"name": "Ai đó", "text": "Hỏi?"})
    assert stale.status_code == 400 and not Question.objects.exists()
    # rate limit per address and session
    for n in range(questions.RATE_LIMIT[0]):
        assert ask(client, qa_session, "Hoa", f"Câu hỏi số {n}?").status_code == 200
    limited = ask(client, qa_session, "Hoa", "Thêm một câu nữa?")
    assert limited.status_code == 429
    assert Question.objects.count() == questions.RATE_LIMIT[0]


def test_the_whole_session(client, qa_session, asked, guest, editor, section, story):
    moderator = client_for(editor)
    hoa, minh, spam, lan = (
        asked[n] for n in ("Trần Thị Hoa", "Lê Minh", "Ẩn danh", "Phạm Thị Lan")
    )
    desk = moderator.get(f"/admin/truc-tiep/{qa_session.pk}/").content.decode()
    assert CONTACTS[0] in desk  # the desk sees contacts; nothing public does

    def act(question, action, **data):
        response = moderator.post(f"/admin/truc-tiep/cau-hoi/{question.pk}/{action}/", data)
        assert response.status_code == 302, response.content

    act(minh, "merge", into=hoa.pk)
    act(spam, "reject")
    edited = moderator.post(
        f"/admin/truc-tiep/cau-hoi/{hoa.pk}/sua/",
        {"text": "Dấu hiệu nào cho thấy sắp xảy ra sạt lở đất?"},
    )
    assert edited.status_code == 302
    act(lan, "forward")
    act(hoa, "forward")
    statuses = dict(Question.objects.values_list("name", "status"))
    assert statuses == {
        "Trần Thị Hoa": QuestionStatus.FORWARDED,
        "Lê Minh": QuestionStatus.MERGED,
        "Ẩn danh": QuestionStatus.REJECTED,
        "Phạm Thị Lan": QuestionStatus.FORWARDED,
    }

    # The guest: forwarded questions of this session only; 403 everywhere else.
    as_guest = Client()
    signed_in = as_guest.post(
        "/giao-luu/dang-nhap/",
        {"username": "khachmoi", "password": "mat-khau-thu"},
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == "/giao-luu/khach/"
    assert as_guest.get("/giao-luu/khach/")["Location"] == f"/giao-luu/khach/{qa_session.pk}/"
    screen = as_guest.get(f"/giao-luu/khach/{qa_session.pk}/")
    text = screen.content.decode()
    assert screen.status_code == 200
    assert "sắp xảy ra sạt lở đất" in text and "Trường học" in text
    assert "Vay tiền" not in text and "nhận biết" not in text
    assert not any(contact in text for contact in CONTACTS)
    other = add_live_page(section, title="Giao lưu khác", mode="qa")
    assert as_guest.get(f"/giao-luu/khach/{other.pk}/").status_code == 403
    for path in (
        "/admin/",
        "/admin/pages/",
        f"/admin/truc-tiep/{qa_session.pk}/",
        f"/admin/truc-tiep/{other.pk}/",
        "/admin/snippets/comments/comment/",
        "/admin/users/",
    ):
        assert as_guest.get(path).status_code == 403, path
    assert as_guest.post(f"/admin/truc-tiep/cau-hoi/{lan.pk}/reject/").status_code == 403
    with pytest.raises(questions.desk.NotAllowed):
        questions.forwarded_to(guest, other)

    # The guest answers, Lan's question first; the pairs go live in that order.
    for question, answer in (
        (lan, "Hiệu trưởng được chủ động cho học sinh nghỉ."),
        (hoa, "Vết nứt mới trên sườn đồi, nước suối đục bất thường."),
    ):
        response = as_guest.post(
            f"/giao-luu/khach/{qa_session.pk}/", {"question": question.pk, "text": answer}
        )
        assert response.status_code == 302
    assert (
        as_guest.post(
            f"/giao-luu/khach/{qa_session.pk}/", {"question": spam.pk, "text": "Không"}
        ).status_code
        == 403
    )  # a question never forwarded cannot be answered
    entries = list(LiveEntry.objects.filter(blog=qa_session).order_by("published_at", "pk"))
    assert [e.question_id for e in entries] == [lan.pk, hoa.pk]
    assert all(e.author == guest and e.is_published for e in entries)

    page = client.get(qa_session.url).content.decode()
    assert "Hiệu trưởng được chủ động" in page and "sắp xảy ra sạt lở đất" in page
    assert "Vay tiền" not in page
    feed = client.get(f"/truc-tiep/{qa_session.pk}/{reading.bucket_now()}.json")
    assert {e["id"] for e in json.loads(feed.content)["entries"]} == {e.pk for e in entries}

    # Transcript → a story draft, pairs in the order answered, in its section's workflow.
    response = moderator.post(f"/admin/truc-tiep/{qa_session.pk}/bien-ban/")
    assert response.status_code == 302
    story = ArticlePage.objects.get(title__startswith="Giao lưu trực tuyến:")
    assert not story.live and story.kind == "phong-van"
    body = story.get_latest_revision_as_object().body.render_as_block().__str__()
    assert body.index("Trường học") < body.index("Hiệu trưởng") < body.index("sắp xảy ra")
    assert body.index("sắp xảy ra") < body.index("Vết nứt")
    assert "Vay tiền" not in body and not any(c in body for c in CONTACTS)
    assert WorkflowState.objects.filter(
        object_id=str(story.pk), status=WorkflowState.STATUS_IN_PROGRESS
    ).exists()

    # Reader contacts: nowhere public.
    public = [
        client.get(qa_session.url),
        client.get(qa_session.url + "?page=1"),
        feed,
        client.get("/rss/tin-moi-nhat.rss"),
        client.get("/sitemap.xml"),
        client.get("/sitemap-news.xml"),
        client.get("/api/v1/pages/"),
        client.get(f"/api/v1/pages/{qa_session.pk}"),
        client.get(f"/giao-luu/{qa_session.pk}/hoi/"),
    ]
    for response in public:
        content = response.content.decode()
        assert not any(contact in content for contact in CONTACTS), response.request


def test_guest_cannot_answer_another_session(qa_session, guest, section, editor):
    other = add_live_page(section, title="Giao lưu khác", mode="qa")
    question = Question.objects.create(session=other, name="A", text="Hỏi?")
    questions.forward(question, editor)
    with pytest.raises(questions.desk.NotAllowed):
        questions.answer(question, guest, "Trả lời")


def test_moderation_needs_the_permission(qa_session, reporter):
    question = Question.objects.create(session=qa_session, name="A", text="Hỏi?")
    assert not reporter.has_perm("live.moderate_question")
    refused = client_for(reporter).post(f"/admin/truc-tiep/cau-hoi/{question.pk}/forward/")
    assert refused.status_code == 403 and "ban biên tập của chuyên mục" in refused.content.decode()
    question.refresh_from_db()
    assert question.status == QuestionStatus.NEW
    assert Permission.objects.filter(codename="moderate_question").exists()


def test_closed_session_takes_no_questions(client, qa_session, editor):
    questions.desk.end(qa_session, editor)
    response = ask(client, qa_session, "Hoa", "Còn kịp không?")
    assert response.status_code == 403 and not Question.objects.exists()


def test_a_moderators_correction_or_rejection_of_a_shown_pair_reaches_readers(
    client, qa_session, asked, guest, editor
):
    from .test_desk import fresh

    question = asked["Trần Thị Hoa"]
    questions.forward(question, editor)
    questions.answer(question, guest, "Nứt tường, cây nghiêng, nước đục bất thường.")
    before = fresh(client, qa_session)["entries"][0]
    assert "Dấu hiệu nào cho thấy sắp sạt lở?" in before["html"]

    # The reader had put a phone number in the question: the moderator takes it out. Open
    # pages replace an entry only when its version grows.
    questions.edit(question, editor, "Dấu hiệu nào cho thấy sắp sạt lở (xã Trà Leng)?")
    after = fresh(client, qa_session)["entries"][0]
    assert after["v"] > before["v"] and "xã Trà Leng" in after["html"]
    assert "xã Trà Leng" in client.get(qa_session.url).content.decode()

    questions.reject(question, editor)  # on second thoughts: off the page
    assert [e.get("gone") for e in fresh(client, qa_session)["entries"]] == [True]
    assert "Nứt tường" not in client.get(qa_session.url).content.decode()
