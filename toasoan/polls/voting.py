"""Poll rules: who may vote, counting, results, and the cached poll of a story."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import HttpRequest

from toasoan.core import ratelimit

from .models import Choice, Poll, Vote

VOTER_COOKIE = "toasoan_nguoi_doc"
VOTER_COOKIE_AGE = 365 * 24 * 60 * 60
STORY_POLL_KEY = "polls:story:{article_id}"
VOTES_PER_IP_PER_HOUR = 50  # a whole office behind one address may vote; a script may not
VOTE_WINDOW = 60 * 60


class VoteRefused(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


def new_voter_id() -> str:
    return secrets.token_urlsafe(18)


def voter_hash(voter_id: str) -> str:
    key = hashlib.sha256(f"polls:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, voter_id.encode(), hashlib.sha256).hexdigest()


def voter_id(request: HttpRequest) -> str | None:
    return request.get_signed_cookie(VOTER_COOKIE, default=None, salt="polls.voter")


def story_poll(article_id: int) -> dict | None:
    """The story's newest poll as plain data (cached; dropped when a poll is saved)."""
    key = STORY_POLL_KEY.format(article_id=article_id)
    data = cache.get(key)
    if data is None:
        # One query: the choices of the story's polls, newest poll first, with their poll.
        rows = list(
            Choice.objects.filter(poll__article_id=article_id)
            .select_related("poll")
            .order_by("-poll__created_at", "-poll_id", "sort_order")[:50]
        )
        data = {"none": True}
        if rows:
            poll = rows[0].poll
            data = {
                "id": poll.pk,
                "question": poll.question,
                "choices": [(c.pk, c.text) for c in rows if c.poll_id == poll.pk],
            }
        cache.set(key, data, 60 * 60)
    return None if data.get("none") else data


def forget_story_poll(article_id: int) -> None:
    cache.delete(STORY_POLL_KEY.format(article_id=article_id))


def results(poll: Poll) -> dict:
    counts = dict(
        Vote.objects.filter(poll=poll)
        .values("choice")
        .annotate(n=Count("id"))
        .values_list("choice", "n")
    )
    total = sum(counts.values())
    return {
        "total": total,
        "choices": [
            {
                "id": choice.pk,
                "text": choice.text,
                "votes": counts.get(choice.pk, 0),
                "percent": round(100 * counts.get(choice.pk, 0) / total) if total else 0,
            }
            for choice in poll.choices.all()
        ],
    }


def has_voted(poll: Poll, voter: str | None) -> bool:
    return bool(voter) and Vote.objects.filter(poll=poll, voter=voter_hash(voter)).exists()


def vote(poll: Poll, choice_id: int | None, voter: str, reader: str | None = None) -> Vote:
    """Record one vote, or raise `VoteRefused`. `reader` is the hashed address
    (core.clients.address_key): each address may cast so many votes an hour on one poll,
    counted in core.ratelimit's windows; refused attempts are not counted."""
    if not poll.accepts_votes() or not poll.article.live:
        raise VoteRefused("Cuộc bình chọn đã kết thúc.", status=403)
    choice = Choice.objects.filter(pk=choice_id or 0, poll=poll).first()
    if choice is None:
        raise VoteRefused("Vui lòng chọn một phương án.")
    ident = f"{poll.pk}:{reader}"
    if reader and ratelimit.counted("polls", ident, VOTE_WINDOW) >= VOTES_PER_IP_PER_HOUR:
        raise VoteRefused("Có quá nhiều lượt bình chọn từ mạng của bạn, vui lòng thử lại sau.", 429)
    try:
        with transaction.atomic():
            ballot = Vote.objects.create(poll=poll, choice=choice, voter=voter_hash(voter))
    except IntegrityError as error:
        raise VoteRefused("Bạn đã bình chọn rồi.", status=409) from error
    if reader:
        ratelimit.count("polls", ident, VOTE_WINDOW)
    return ballot
