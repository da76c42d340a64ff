"""The rules of reader comments: what is accepted, held, refused, approved and erased.

Views and admin screens stay thin and call these functions. Every public-facing result
reads from `thread()`, which is cached per story and dropped whenever a comment of that
story changes, so the article page pays no database query for its comments when warm.
"""

import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.safestring import mark_safe

from toasoan.core import ratelimit
from toasoan.core.changes import content_changed
from toasoan.editions.paper import paper_name
from toasoan.newsroom.models import ArticlePage

from . import text as comment_text
from .models import ArticleCommentState, BannedWord, BlockedSender, Comment, Status
from .tasks import notify_held_comment

log = logging.getLogger(__name__)

THREAD_KEY = "comments:thread:v2:{article_id}"
THREAD_TTL = 60 * 60
BANNED_KEY = "comments:banned-words"
TOKEN_SALT = "toasoan.comments.form"


def option(name: str):
    """A comment rule from settings.TOASOAN (defaults in settings.py)."""
    return settings.TOASOAN[name]


class Refused(Exception):
    """A submission that changes nothing; `message` is shown to the reader as is."""

    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.message, self.status, self.field = message, status, field


# --- the form's time stamp -----------------------------------------------------------
def form_token(now: float | None = None) -> str:
    """A signed issue time; the form must come back no sooner and no later than allowed."""
    return signing.dumps(int(now if now is not None else time.time()), salt=TOKEN_SALT)


def check_form_token(token: str, now: float | None = None) -> None:
    now = now if now is not None else time.time()
    try:
        issued = int(signing.loads(token or "", salt=TOKEN_SALT))
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise Refused(
            "Phiên gửi bình luận không hợp lệ hoặc đã hết hạn, vui lòng tải lại trang."
        ) from error
    age = now - issued
    if age > option("COMMENT_MAX_FORM_AGE") or age < -5:
        raise Refused("Phiên gửi bình luận đã hết hạn, vui lòng tải lại trang rồi gửi lại.")
    if age < option("COMMENT_MIN_SECONDS"):
        raise Refused("Bạn gửi nhanh quá, vui lòng đợi vài giây rồi gửi lại.")


# --- rate limits (core.ratelimit's fixed windows; only stored comments are counted) --------
def _rate_ident(kind: str, value: str) -> str:
    """The reader's address comes hashed (core.clients.address_key); an email is hashed here."""
    return value if kind == "ip" else hashlib.sha256(value.encode()).hexdigest()[:24]


def _check_rate(kind: str, value: str | None) -> None:
    if not value:
        return
    limit, window = option("COMMENT_RATE_LIMITS")[kind]
    if ratelimit.counted(f"comments:{kind}", _rate_ident(kind, value), window) >= limit:
        raise Refused(
            "Bạn đã gửi nhiều bình luận trong thời gian ngắn, vui lòng thử lại sau ít phút.",
            status=429,
        )


def _count_rate(kind: str, value: str | None) -> None:
    if value:
        _limit, window = option("COMMENT_RATE_LIMITS")[kind]
        ratelimit.count(f"comments:{kind}", _rate_ident(kind, value), window)


# --- banned words -------------------------------------------------------------------------
def banned_words() -> list[str]:
    words = cache.get(BANNED_KEY)
    if words is None:
        words = [
            folded
            for word in BannedWord.objects.values_list("word", flat=True)
            if (folded := comment_text.normalised(word))
        ]
        cache.set(BANNED_KEY, words, 60 * 60)
    return words


def banned_in(*texts: str) -> list[str]:
    """The banned words found in the texts (whole words, without diacritics or case)."""
    haystack = comment_text.normalised(" ".join(texts))
    return [w for w in banned_words() if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", haystack)]


def forget_banned_words(**kwargs) -> None:
    cache.delete(BANNED_KEY)


# --- submitting -------------------------------------------------------------------------------
@dataclass
class Submission:
    name: str
    email: str
    text: str
    parent_id: int | None = None
    website: str = ""  # the honeypot: people never see it, so never fill it in
    token: str = ""


def fingerprint(text: str) -> str:
    return hashlib.sha256(comment_text.normalised(text).encode()).hexdigest()


def is_blocked(email: str, ip: str | None) -> bool:
    query = Q(kind=BlockedSender.Kind.EMAIL, value=email.lower())
    if ip:
        query |= Q(kind=BlockedSender.Kind.IP, value=ip)
    return BlockedSender.objects.filter(query).exists()


def comments_open(article_id: int) -> bool:
    return not ArticleCommentState.objects.filter(pk=article_id, closed=True).exists()


def submit(
    article_id: int,
    data: Submission,
    ip: str | None = None,
    user_agent: str = "",
    reader: str | None = None,
) -> Comment | None:
    """Store a reader's comment as pending (or spam), or raise `Refused`.

    `ip` is kept with the comment (blocking, personal data); `reader` is the hashed address
    (core.clients.address_key) the per-address limit counts. Returns None for a filled
    honeypot: the bot is told nothing and nothing is stored.
    """
    if data.website.strip():
        log.info("comment honeypot filled from %s", ip)
        return None
    check_form_token(data.token)
    article = ArticlePage.objects.published().filter(pk=article_id).only("id").first()
    if article is None:
        raise Refused("Bài viết không tồn tại hoặc chưa được đăng.", status=404)
    if not comments_open(article.pk):
        raise Refused("Bài viết này đã đóng bình luận.", status=403)
    email = data.email.strip().lower()
    _check_rate("ip", reader)
    _check_rate("email", email)
    if comment_text.count_links(data.text) + comment_text.count_links(data.name) > option(
        "COMMENT_MAX_LINKS"
    ):
        raise Refused(
            f"Bình luận chỉ được chứa tối đa {option('COMMENT_MAX_LINKS')} liên kết.",
            field="text",
        )
    parent = None
    if data.parent_id:
        parent = (
            Comment.objects.filter(pk=data.parent_id, article_id=article.pk, status=Status.APPROVED)
            .select_related("parent")
            .first()
        )
        if parent is None:
            raise Refused("Bình luận bạn muốn trả lời không còn nữa.")
        if parent.parent_id:  # one level of replies: answer the thread's first comment
            parent = parent.parent
    digest = fingerprint(data.text)
    since = timezone.now() - timedelta(seconds=option("COMMENT_DUPLICATE_WINDOW"))
    same_sender = Q(email=email) | (Q(ip_address=ip) if ip else Q(pk__in=[]))
    recent = Comment.objects.filter(fingerprint=digest, created_at__gte=since)
    if recent.filter(same_sender).exists():
        raise Refused("Bạn đã gửi bình luận này rồi; nó đang chờ hoặc đã được duyệt.")

    status, flags = Status.PENDING, []
    if is_blocked(email, ip):
        status, flags = Status.SPAM, ["Người gửi bị chặn"]
    else:
        hour_ago = timezone.now() - timedelta(hours=1)
        senders = set(recent.filter(created_at__gte=hour_ago).values_list("email", flat=True))
        if len(senders | {email}) >= option("COMMENT_FLOOD_SENDERS"):
            status, flags = Status.SPAM, ["Cùng nội dung từ nhiều người gửi (spam hàng loạt)"]
    words = banned_in(data.name, data.text)
    if words:
        flags.append("Có từ cấm: " + ", ".join(words))
    with transaction.atomic():
        comment = Comment.objects.create(
            article_id=article.pk,
            parent=parent,
            name=data.name,
            email=email,
            text=data.text,
            status=status,
            flag="; ".join(flags)[:200],
            ip_address=ip,
            user_agent=user_agent[:300],
            fingerprint=digest,
        )
        if comment.flag and status == Status.PENDING:
            transaction.on_commit(lambda: notify_moderators(comment.pk))
    _count_rate("ip", reader)
    _count_rate("email", email)
    return comment


def notify_moderators(comment_id: int) -> None:
    if not option("COMMENT_NOTIFY_MODERATORS"):
        return
    notify_held_comment.enqueue(comment_id)


# --- what readers see --------------------------------------------------------------------------
def thread(article_id: int) -> dict:
    """Approved comments of a story, threaded, with their count; cached until one changes.

    The count is the number of comments shown: approved comments, and approved replies
    whose first comment is itself approved.
    """
    key = THREAD_KEY.format(article_id=article_id)
    data = cache.get(key)
    if data is not None:
        return data
    rows = list(
        Comment.objects.filter(article_id=article_id, status=Status.APPROVED)
        .order_by("created_at", "pk")
        .values("id", "parent_id", "name", "text", "created_at", "is_staff_reply")[:2000]
    )
    threads, by_id = [], {}
    for row in rows:
        item = {
            "id": row["id"],
            "name": row["name"],
            "text": row["text"],
            "html": comment_text.render(row["text"]),
            "created_at": row["created_at"],
            "is_staff": row["is_staff_reply"],
            "replies": [],
        }
        if row["parent_id"] is None:
            threads.append(item)
            by_id[row["id"]] = item
        elif row["parent_id"] in by_id:
            by_id[row["parent_id"]]["replies"].append(item)
    threads.reverse()  # newest conversations first, replies in the order they came
    count = sum(1 + len(t["replies"]) for t in threads)
    data = {"count": count, "threads": threads, "open": comments_open(article_id)}
    cache.set(key, data, THREAD_TTL)
    return data


def safe_threads(data: dict) -> list[dict]:
    """The cached threads with their HTML marked safe (it comes from `text.render`)."""
    for item in data["threads"]:
        item["html"] = mark_safe(item["html"])  # noqa: S308 - escaped and sanitised
        for reply in item["replies"]:
            reply["html"] = mark_safe(reply["html"])  # noqa: S308
    return data["threads"]


def changed(*article_ids: int) -> None:
    """Forget the cached threads of these stories; their pages change (comment count)."""
    ids = {i for i in article_ids if i}
    cache.delete_many([THREAD_KEY.format(article_id=i) for i in ids])
    if ids:
        content_changed(ArticlePage.objects.filter(pk__in=ids))


def _changed_now_and_on_commit(*article_ids: int) -> None:
    """Drop the cached threads now and again after commit (a reader may refill in between)."""
    changed(*article_ids)
    transaction.on_commit(lambda: changed(*article_ids))


# --- moderating ---------------------------------------------------------------------------------
def moderate(
    comments: QuerySet[Comment] | list[Comment],
    status: str,
    user=None,
    include_flagged: bool = True,
) -> tuple[int, int]:
    """Set the status of many comments at once; returns (changed, skipped flagged ones)."""
    ids = [c.pk for c in comments]
    queryset = Comment.objects.filter(pk__in=ids)
    skipped = 0
    if status == Status.APPROVED and not include_flagged:
        skipped = queryset.exclude(flag="").exclude(status=Status.APPROVED).count()
        queryset = queryset.filter(flag="") | queryset.filter(status=Status.APPROVED)
    with transaction.atomic():
        article_ids = set(queryset.values_list("article_id", flat=True))
        done = queryset.update(status=status, moderated_at=timezone.now(), moderated_by=user)
        _changed_now_and_on_commit(*article_ids)
    return done, skipped


def set_comments_closed(article: ArticlePage, closed: bool, user=None) -> None:
    ArticleCommentState.objects.update_or_create(
        article=article, defaults={"closed": closed, "changed_by": user}
    )
    changed(article.pk)


def block(comment: Comment, *, email: bool, ip: bool, user=None, reason: str = "") -> int:
    """Block the comment's sender; their comments still waiting go to spam. Returns how many."""
    queries = Q(pk__in=[])
    with transaction.atomic():
        for wanted, kind, field in (
            (email, BlockedSender.Kind.EMAIL, "email"),
            (ip, BlockedSender.Kind.IP, "ip_address"),
        ):
            value = getattr(comment, field)
            if wanted and value:
                BlockedSender.objects.get_or_create(
                    kind=kind, value=value, defaults={"created_by": user, "reason": reason}
                )
                queries |= Q(**{field: value})
        waiting = Comment.objects.filter(queries, status=Status.PENDING)
        done, _ = moderate(list(waiting), Status.SPAM, user)
    return done


def staff_reply(comment: Comment, text: str, user) -> Comment:
    """A reply from the newsroom, published at once and marked as the paper's."""
    root = comment.parent if comment.parent_id else comment
    with transaction.atomic():
        reply = Comment.objects.create(
            article_id=comment.article_id,
            parent=root,
            name=paper_name(),
            email=(getattr(user, "email", "") or "toasoan@localhost").lower(),
            text=text,
            status=Status.APPROVED,
            is_staff_reply=True,
            staff_user=user,
            moderated_at=timezone.now(),
            moderated_by=user,
            fingerprint=fingerprint(text),
        )
        if comment.status != Status.APPROVED:
            moderate([comment], Status.APPROVED, user)
        _changed_now_and_on_commit(comment.article_id)
    return reply


def pending_count() -> int:
    return Comment.objects.filter(status=Status.PENDING).count()


# --- personal data (Decree 13/2023/NĐ-CP) ------------------------------------------------------
def comments_of(email: str) -> QuerySet[Comment]:
    return Comment.objects.filter(email=(email or "").strip().lower()).order_by("created_at")


def export_personal_data(email: str) -> str:
    """Every comment of one email address, with what we hold about it, as JSON."""
    items = [
        {
            "id": c.pk,
            "bai_viet": c.article.title,
            "dia_chi_bai_viet": c.article.url,
            "ten": c.name,
            "email": c.email,
            "noi_dung": c.text,
            "trang_thai": c.get_status_display(),
            "gui_luc": timezone.localtime(c.created_at).isoformat(),
            "dia_chi_ip": c.ip_address,
            "trinh_duyet": c.user_agent,
        }
        for c in comments_of(email).select_related("article")
    ]
    return json.dumps(
        {"email": (email or "").strip().lower(), "binh_luan": items}, ensure_ascii=False, indent=2
    )


def erase_personal_data(email: str) -> int:
    """Delete every comment of one email address; other readers' replies to them stay."""
    with transaction.atomic():
        queryset = comments_of(email)
        article_ids = set(queryset.values_list("article_id", flat=True))
        count, _ = queryset.delete()
        _changed_now_and_on_commit(*article_ids)
    log.info("erased %d comments of one email address", count)
    return count
