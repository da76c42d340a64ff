"""Published XSS payloads as reader names and questions, entry titles, texts and quote
attributions stay inert everywhere they are shown: the public page (every page of it), the
update feed's HTML, the JSON-LD, the question form, the desk, the guest's screen and the
transcript story."""

import json
from collections import Counter

import pytest

from tests.comments.test_comments_xss import FOREIGN_ELEMENTS, PAYLOADS, Page, assert_inert
from tests.staff import client_for
from toasoan.live import desk, questions, reading
from toasoan.live.models import LiveEntry, Question

from .conftest import token

pytestmark = pytest.mark.django_db


JSON_LD = '<script type="application/ld+json">'


def inert(content: str, public: bool = True, own: Counter | None = None) -> Page:
    """No payload runs. The JSON-LD is data, not script: checked apart (it must parse and
    hold no "<" that could end its element), then left out of the script check."""
    if JSON_LD in content:
        start = content.index(JSON_LD) + len(JSON_LD)
        end = content.index("</script>", start)
        assert "<" not in content[start:end]
        json.loads(content[start:end])
        content = content[: start - len(JSON_LD)] + content[end + len("</script>") :]
    page = Page(text_classes=())
    page.feed(content)
    assert_inert(page, public=public, own=own)
    return page


@pytest.fixture
def hostile(client, qa_session, chief, editor, monkeypatch):
    monkeypatch.setattr(questions, "RATE_LIMIT", (10_000, 60))
    monkeypatch.setattr(questions, "MAX_LINKS", 1_000)
    guest = chief  # the desk's typist answers; the guest screen is checked below
    qa_session.guests.add(editor)
    qa_session.save_revision().publish()  # guests are saved with the page
    before = Page(text_classes=())
    before.feed(client.get(qa_session.url).content.decode())
    own = Counter(tag for tag, _ in before.tags if tag in FOREIGN_ELEMENTS)
    for n, payload in enumerate(PAYLOADS):
        response = client.post(
            f"/giao-luu/{qa_session.pk}/hoi/",
            {"name": payload[:80], "text": payload, "contact": payload[:200], "ts": token()},
            REMOTE_ADDR=f"10.1.{n // 250}.{n % 250 + 1}",
        )
        assert response.status_code == 200, (payload, response.content[:300])
        inert(response.content.decode(), own=own)
    asked = list(Question.objects.order_by("pk"))
    assert len(asked) == len(PAYLOADS)
    for question in asked[: len(asked) // 2]:
        questions.forward(question, editor)
        questions.answer(question, guest, question.text)
    for question in asked[len(asked) // 2 :]:
        questions.forward(question, editor)
    for payload in PAYLOADS:
        desk.write(
            qa_session,
            chief,
            text=payload,
            title=payload[:200],
            kind="quote",
            attribution=payload[:200],
        )
    return {"own": own, "questions": asked}


def test_public_pages_feed_and_json_ld(client, qa_session, hostile):
    own = hostile["own"]
    number, seen = 1, 0
    while True:
        response = client.get(f"{qa_session.url}?page={number}")
        if response.status_code == 404:
            break
        content = response.content.decode()
        inert(content, own=own)
        seen += content.count('data-entry="')
        start = content.index(JSON_LD) + len(JSON_LD)
        data = json.loads(content[start : content.index("</script>", start)])
        assert data["@type"] == "LiveBlogPosting"
        number += 1
    assert seen == LiveEntry.objects.filter(blog=qa_session).count() == len(PAYLOADS) * 3 // 2
    feed = json.loads(client.get(f"/truc-tiep/{qa_session.pk}/{reading.bucket_now()}.json").content)
    assert feed["entries"]
    for item in feed["entries"]:
        inert(item["html"], own=own)
    inert(feed["keys"], own=own)


def test_staff_screens(qa_session, hostile, editor):
    desk_screen = client_for(editor).get(f"/admin/truc-tiep/{qa_session.pk}/")
    assert desk_screen.status_code == 200
    inert(desk_screen.content.decode(), public=False)
    guest_screen = client_for(editor).get(f"/giao-luu/khach/{qa_session.pk}/")
    assert guest_screen.status_code == 200
    inert(guest_screen.content.decode(), public=False)
    entry = LiveEntry.objects.filter(blog=qa_session, kind="quote").first()
    for path in (f"/admin/truc-tiep/muc/{entry.pk}/sua/", f"/admin/truc-tiep/muc/{entry.pk}/go/"):
        screen = client_for(editor).get(path)
        assert screen.status_code == 200
        inert(screen.content.decode(), public=False)
    question = hostile["questions"][-1]
    screen = client_for(editor).get(f"/admin/truc-tiep/cau-hoi/{question.pk}/sua/")
    inert(screen.content.decode(), public=False)


def test_transcript_story(qa_session, hostile, editor):
    story = questions.transcript_story(qa_session, editor)
    body = str(story.get_latest_revision_as_object().body.render_as_block())
    inert(body, own=hostile["own"])
