"""Online Q&A (giao lưu trực tuyến): readers ask, a moderator merges, edits, forwards; the
guest (or a typist) answers; answered pairs go on the page as entries; at the close the
transcript becomes a story draft in the section's approval flow.

A reader's contact is kept for the desk only: nothing public (page, update feed, JSON-LD,
feeds, API) reads it.
"""

import html
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.rich_text import RichText

from toasoan.comments.moderation import Refused, check_form_token
from toasoan.comments.text import count_links, normalised
from toasoan.core import ratelimit
from toasoan.newsroom.models import ArticleKind, ArticlePage

from . import desk
from .models import EntryStatus, Kind, LiveBlogPage, LiveEntry, Question, QuestionStatus

log = logging.getLogger(__name__)

RATE_LIMIT = (3, 600)  # questions an address may send to one session, per this many seconds
MAX_LINKS = 1


@dataclass
class Asked:
    name: str
    text: str
    contact: str = ""
    website: str = ""  # the honeypot: people never see it
    token: str = ""


def accepts_questions(session: LiveBlogPage) -> bool:
    return session.is_qa and session.live and session.state() != "ended"


def submit(session: LiveBlogPage, asked: Asked, reader: str) -> Question | None:
    """Store a reader's question (status new), or raise comments' `Refused`. A filled
    honeypot stores nothing and tells the bot nothing (None)."""
    if asked.website.strip():
        log.info("Q&A honeypot filled (session %s)", session.pk)
        return None
    check_form_token(asked.token)
    if not accepts_questions(session):
        raise Refused("Phiên giao lưu đã kết thúc, không nhận thêm câu hỏi.", status=403)
    limit, window = RATE_LIMIT
    scope = f"live:questions:{session.pk}"
    if ratelimit.counted(scope, reader, window) >= limit:
        raise Refused(
            "Bạn đã gửi nhiều câu hỏi trong thời gian ngắn, vui lòng thử lại sau ít phút.",
            status=429,
        )
    if count_links(asked.text) + count_links(asked.name) > MAX_LINKS:
        raise Refused("Câu hỏi chỉ được chứa tối đa 1 liên kết.", field="text")
    same = [
        q
        for q in Question.objects.filter(session=session, reader=reader).only("text")
        if normalised(q.text) == normalised(asked.text)
    ]
    if same:
        raise Refused("Bạn đã gửi câu hỏi này rồi.")
    question = Question.objects.create(
        session=session, name=asked.name, contact=asked.contact, text=asked.text, reader=reader
    )
    ratelimit.count(scope, reader, window)
    return question


def _moderator(user, session: LiveBlogPage) -> None:
    if not desk.can_moderate(user, session):
        raise desk.NotAllowed


def _shown_pair_changed(question: Question, *, taken_off: bool = False) -> None:
    """An answered pair readers see changed (or is taken off): its entry gets a new version
    and the page is fresh, so the correction (a phone number removed…) reaches them."""
    entry = LiveEntry.objects.filter(question=question).first()
    if entry is None or not entry.is_published:
        return
    if taken_off:
        entry.status = EntryStatus.DELETED
        entry.is_pinned = entry.is_key_event = False
    desk.touch(entry, "status", "is_pinned", "is_key_event")
    desk.changed(question.session)


@transaction.atomic
def edit(question: Question, user, text: str) -> None:
    _moderator(user, question.session)
    question.text = text
    question.save(update_fields=["text"])
    _shown_pair_changed(question)


@transaction.atomic
def merge(question: Question, into: Question, user) -> None:
    """A duplicate folded into the question that will be answered."""
    _moderator(user, question.session)
    if into.pk == question.pk or into.session_id != question.session_id or into.merged_into_id:
        raise desk.NotAllowed
    question.status = QuestionStatus.MERGED
    question.merged_into = into
    question.save(update_fields=["status", "merged_into"])


@transaction.atomic
def reject(question: Question, user) -> None:
    _moderator(user, question.session)
    question.status = QuestionStatus.REJECTED
    question.save(update_fields=["status"])
    _shown_pair_changed(question, taken_off=True)


@transaction.atomic
def forward(question: Question, user) -> None:
    _moderator(user, question.session)
    if question.status not in (QuestionStatus.NEW, QuestionStatus.REJECTED):
        raise desk.NotAllowed
    question.status = QuestionStatus.FORWARDED
    question.forwarded_at = timezone.now()
    question.save(update_fields=["status", "forwarded_at"])


def is_guest(user, session: LiveBlogPage) -> bool:
    return user.is_authenticated and session.guests.filter(pk=user.pk).exists()


def forwarded_to(user, session: LiveBlogPage):
    """What a guest sees: the forwarded (and answered) questions of their own session only."""
    if not is_guest(user, session):
        raise desk.NotAllowed
    return Question.objects.filter(
        session=session, status__in=[QuestionStatus.FORWARDED, QuestionStatus.ANSWERED]
    ).select_related("entry")


@transaction.atomic
def answer(question: Question, user, text: str) -> LiveEntry:
    """The guest's (or a typist's) answer, published at once as the pair's entry."""
    session = question.session
    if not (is_guest(user, session) or desk.can_moderate(user, session)):
        raise desk.NotAllowed
    if question.status not in (QuestionStatus.FORWARDED, QuestionStatus.ANSWERED):
        raise desk.NotAllowed
    now = timezone.now()
    question.status = QuestionStatus.ANSWERED
    question.answer = text
    question.answered_by = user
    question.answered_at = question.answered_at or now
    question.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    entry = LiveEntry.objects.filter(question=question).first()
    if entry is None:
        entry = LiveEntry(
            blog=session, kind=Kind.ANSWER, question=question, author=user, approved_by=user
        )
        entry.published_at = now
    else:
        entry.updated_at = now
    entry.text = text
    entry.status = EntryStatus.PUBLISHED
    entry.save()
    desk.touch(entry, "status")
    desk.changed(session)
    return entry


def answered_pairs(session: LiveBlogPage) -> list[LiveEntry]:
    """The answered pairs on the page, in the order they were answered."""
    return list(
        LiveEntry.objects.filter(blog=session, kind=Kind.ANSWER, status=EntryStatus.PUBLISHED)
        .select_related("question")
        .order_by("published_at", "pk")
    )


def _paragraph(label: str, who: str, text: str) -> tuple[str, RichText]:
    body = "<br>".join(html.escape(line) for line in text.strip().splitlines())
    return (
        "paragraph",
        RichText(f"<p><b>{html.escape(label)}</b> ({html.escape(who)}): {body}</p>"),
    )


def _draft_story(parent, user, *, title: str, sapo: str, body: list, kind: str) -> ArticlePage:
    """A story draft under `parent`, submitted to its section's approval workflow."""
    story = ArticlePage(
        title=title[:255], kind=kind, sapo=sapo[:1000], body=body, owner=user, live=False
    )
    parent.add_child(instance=story)
    story.save_revision(user=user)
    ArticlePage.objects.filter(pk=story.pk).update(live=False)
    workflow = story.get_workflow()
    if workflow is not None:
        workflow.start(story, user)
    return story


@transaction.atomic
def entry_story(entry: LiveEntry, user) -> ArticlePage:
    """Any published entry as a standalone story draft (its text, its photo's caption kept
    with the photo), in the approval flow of the live blog's section."""
    if not desk.can_approve(user, entry.blog):
        raise desk.NotAllowed
    text = entry.text
    if entry.question_id:
        text = f"{entry.question.name} hỏi: {entry.question.text}\n\nTrả lời: {entry.text}"
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = [
        ("paragraph", RichText("<p>" + html.escape(p).replace("\n", "<br>") + "</p>"))
        for p in paragraphs
    ]
    first_line = " ".join(text.split())
    return _draft_story(
        entry.blog.get_parent(),
        user,
        title=entry.title or first_line[:120],
        sapo=first_line[:300],
        body=body,
        kind=ArticleKind.TIN,
    )


@transaction.atomic
def transcript_story(session: LiveBlogPage, user) -> ArticlePage:
    """A draft interview story (phỏng vấn) of every answered pair, in order, submitted to its
    section's approval workflow. No reader contact goes into it."""
    _moderator(user, session)
    pairs = answered_pairs(session)
    body = []
    for entry in pairs:
        body.append(_paragraph("Hỏi", entry.question.name, entry.question.text))
        body.append(_paragraph("Trả lời", session.guest_names or "Khách mời", entry.text))
    story = _draft_story(
        session.get_parent(),
        user,
        title=f"Giao lưu trực tuyến: {session.title}",
        sapo=session.summary or session.title,
        body=body,
        kind=ArticleKind.PHONG_VAN,
    )
    log.info("Q&A %s: transcript story %s", session.pk, story.pk)
    return story
