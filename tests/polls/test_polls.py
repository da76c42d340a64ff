"""Polls attached to a story: one vote per visitor, results after voting, closing time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.factories import ArticlePageFactory, UserFactory
from toasoan.core import ratelimit
from toasoan.core.clients import address_key
from toasoan.newsroom.roles import ensure_roles
from toasoan.polls import voting
from toasoan.polls.models import Choice, Poll, Vote

pytestmark = pytest.mark.django_db


def make_poll(story, **kwargs) -> Poll:
    poll = Poll(article=story, question="Bạn có ủng hộ phố đi bộ Bạch Đằng?", **kwargs)
    poll.choices.add(Choice(text="Ủng hộ"), Choice(text="Không ủng hộ"), Choice(text="Chưa rõ"))
    poll.save()
    return poll


def vote(client, poll, choice):
    return client.post(
        f"/binh-chon/{poll.pk}/", {"choice": choice.pk}, HTTP_ACCEPT="application/json"
    )


def test_poll_shows_on_its_story_and_counts_one_vote_per_visitor(client, story):
    poll = make_poll(story)
    yes, no, _ = poll.choices.all()
    html = client.get(story.url).content.decode()
    assert (
        poll.question in html
        and "Không ủng hộ" in html
        and f'data-poll="/binh-chon/{poll.pk}/"' in html
    )
    state = client.get(f"/binh-chon/{poll.pk}/trang-thai/").json()
    assert state["voted"] is False and state["results"] is None and state["open"] is True
    answer = vote(client, poll, yes)
    assert answer.status_code == 200 and answer.json()["results"]["total"] == 1
    again = vote(client, poll, no)
    assert again.status_code == 409 and again.json()["message"] == "Bạn đã bình chọn rồi."
    state = client.get(f"/binh-chon/{poll.pk}/trang-thai/").json()
    assert state["voted"] is True
    assert [(c["text"], c["votes"], c["percent"]) for c in state["results"]["choices"]] == [
        ("Ủng hộ", 1, 100),
        ("Không ủng hộ", 0, 0),
        ("Chưa rõ", 0, 0),
    ]
    other_reader = Client()
    assert vote(other_reader, poll, no).status_code == 200
    assert Vote.objects.filter(poll=poll).count() == 2


def test_results_are_hidden_before_voting(client, story):
    poll = make_poll(story)
    vote(Client(), poll, poll.choices.first())
    state = client.get(f"/binh-chon/{poll.pk}/trang-thai/").json()
    assert state["results"] is None
    page = client.get(f"/binh-chon/{poll.pk}/").content.decode()
    assert "lượt bình chọn" not in page and 'type="radio"' in page


def test_closing_time_stops_voting_and_shows_results(client, story):
    poll = make_poll(story, closes_at=timezone.now() - timedelta(minutes=1))
    refused = vote(client, poll, poll.choices.first())
    assert refused.status_code == 403 and refused.json()["message"] == "Cuộc bình chọn đã kết thúc."
    state = client.get(f"/binh-chon/{poll.pk}/trang-thai/").json()
    assert state["open"] is False and state["results"]["total"] == 0
    assert not Vote.objects.exists()


def test_bad_choice_and_unpublished_story(client, story, section):
    poll = make_poll(story)
    other = make_poll(ArticlePageFactory(parent=section))
    assert (
        client.post(
            f"/binh-chon/{poll.pk}/", {"choice": "abc"}, HTTP_ACCEPT="application/json"
        ).status_code
        == 400
    )
    assert vote(client, poll, other.choices.first()).status_code == 400
    draft_poll = make_poll(ArticlePageFactory(parent=section, live=False))
    assert client.get(f"/binh-chon/{draft_poll.pk}/").status_code == 404
    assert vote(client, draft_poll, draft_poll.choices.first()).status_code == 404
    assert not Vote.objects.exists()


def test_votes_per_address_count_in_the_shared_window_counter(story, monkeypatch, time_machine):
    """One address (an office, a script) casts at most so many votes an hour on one poll,
    counted in core.ratelimit's window under the hashed address; refused votes do not count."""
    monkeypatch.setattr(voting, "VOTES_PER_IP_PER_HOUR", 3)
    time_machine.move_to(
        datetime(2025, 3, 20, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    )
    poll, other_poll = make_poll(story), make_poll(story)
    office = "198.51.100.7"
    office_key = address_key(RequestFactory().get("/", REMOTE_ADDR=office))
    first = Client(REMOTE_ADDR=office)
    for reader in [first, Client(REMOTE_ADDR=office)]:
        assert vote(reader, poll, poll.choices.first()).status_code == 200
    assert vote(first, poll, poll.choices.first()).status_code == 409  # voted: not counted
    assert ratelimit.counted("polls", f"{poll.pk}:{office_key}", 3600) == 2
    assert vote(Client(REMOTE_ADDR=office), poll, poll.choices.first()).status_code == 200
    assert ratelimit.counted("polls", f"{poll.pk}:{office_key}", 3600) == 3
    refused = vote(Client(REMOTE_ADDR=office), poll, poll.choices.first())
    assert refused.status_code == 429
    assert refused.json()["message"].startswith("Có quá nhiều lượt bình chọn từ mạng của bạn")
    assert vote(Client(REMOTE_ADDR="198.51.100.8"), poll, poll.choices.first()).status_code == 200
    assert (
        vote(Client(REMOTE_ADDR=office), other_poll, other_poll.choices.first()).status_code == 200
    )
    time_machine.shift(3600)
    assert vote(Client(REMOTE_ADDR=office), poll, poll.choices.first()).status_code == 200
    assert Vote.objects.filter(poll=poll).count() == 5


def test_voting_without_script_and_csrf_required(story):
    poll = make_poll(story)
    client = Client(enforce_csrf_checks=True)
    assert (
        client.post(f"/binh-chon/{poll.pk}/", {"choice": poll.choices.first().pk}).status_code
        == 403
    )
    page = client.get(f"/binh-chon/{poll.pk}/")
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        f"/binh-chon/{poll.pk}/",
        {"choice": poll.choices.first().pk, "csrfmiddlewaretoken": token},
        follow=True,
    )
    assert "Cảm ơn bạn đã bình chọn." in response.content.decode()
    assert "1 lượt bình chọn" in response.content.decode()


def test_article_page_with_poll_stays_cacheable(client, story):
    make_poll(story)
    response = client.get(story.url)
    assert not response.cookies


def test_editors_attach_polls_in_the_admin(client, home, story):
    editor = UserFactory()
    editor.groups.add(ensure_roles(home)["Thư ký tòa soạn"])
    client.force_login(editor, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/admin/snippets/polls/poll/add/",
        {
            "article": story.pk,
            "question": "Bạn đi lễ hội năm nay?",
            "choices-TOTAL_FORMS": "2",
            "choices-INITIAL_FORMS": "0",
            "choices-MIN_NUM_FORMS": "2",
            "choices-MAX_NUM_FORMS": "10",
            "choices-0-text": "Có",
            "choices-0-ORDER": "1",
            "choices-1-text": "Không",
            "choices-1-ORDER": "2",
            "closes_at": "",
            "is_open": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    poll = Poll.objects.get()
    assert [c.text for c in poll.choices.all()] == ["Có", "Không"]
    assert "Bạn đi lễ hội năm nay?" in Client().get(story.url).content.decode()
