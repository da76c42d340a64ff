"""Imported reader comments go into `toasoan.comments`, keeping their approval state.

Written through that app's model and helpers (`Comment`, `ArticleCommentState`,
`moderation.fingerprint`, `moderation.changed`); that app is not changed by this one.
Its threads are one level deep, so a reply to a reply hangs under the thread's first comment.
"""

import ipaddress
from collections import Counter
from datetime import UTC

from django.apps import apps
from django.db import connection

from .models import ImportedItem
from .text import html_to_text, parse_wp_date, plain_text

# WordPress's wp:comment_approved → our status.
STATUS = {"1": "approved", "0": "pending", "spam": "spam", "trash": "rejected"}
PINGBACK = "Pingback/trackback (không phải bình luận của bạn đọc)"
EMPTY = "Bình luận trống"


def comments_available() -> bool:
    return apps.is_installed("toasoan.comments")


def _ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def import_wxr_comments(origin: str, posts: list, zone, summary) -> set[int]:
    """Comments of `(article id, wxr Item)` pairs not imported before; returns the article ids.

    Kept behind this one function so the importer never touches the comments app directly.
    """
    if not comments_available() or not posts:
        return set()
    from toasoan.comments.models import ArticleCommentState, Comment
    from toasoan.comments.moderation import fingerprint

    ids = [c.comment_id for _, item in posts for c in item.comments if c.comment_id]
    known = dict(
        ImportedItem.objects.filter(
            origin=origin, kind=ImportedItem.Kind.COMMENT, source_id__in=ids
        ).values_list("source_id", "target_id")
    )
    counts: Counter = Counter()
    touched: set[int] = set()
    closed: list[int] = []
    # Two rounds: first comments, then replies (which need their thread's id).
    roots, replies = [], []
    for article_id, item in posts:
        if item.comment_status == "closed":
            closed.append(article_id)
        by_id = {c.comment_id: c for c in item.comments}
        for comment in item.comments:
            if comment.comment_id in known:
                continue
            if comment.type in ("pingback", "trackback"):
                summary.skip(PINGBACK, comment.author[:60])
                continue
            text = html_to_text(comment.content)
            if not text:
                summary.skip(EMPTY)
                continue
            root = comment
            seen = set()
            while root.parent not in ("", "0") and root.parent in by_id and root.parent not in seen:
                seen.add(root.parent)
                root = by_id[root.parent]
            status = STATUS.get(comment.approved, "rejected")
            created = parse_wp_date(comment.date_gmt, UTC) or parse_wp_date(comment.date, zone)
            row = Comment(
                article_id=article_id,
                name=plain_text(comment.author, 80) or "Bạn đọc",
                email=(comment.email or "").strip().lower()[:254],
                text=text,
                status=status,
                ip_address=_ip(comment.ip),
                fingerprint=fingerprint(text),
            )
            if created:
                row.created_at = created
            entry = (comment, row, root.comment_id if root is not comment else "")
            (replies if entry[2] else roots).append(entry)
            counts[f"comments_{status}"] += 1
            touched.add(article_id)
    made = dict(known)
    for group in (roots, replies):
        for _, row, root_id in group:
            row.parent_id = made.get(root_id) if root_id else None
        if connection.features.can_return_rows_from_bulk_insert:
            Comment.objects.bulk_create([row for _, row, _ in group])
        else:
            for _, row, _ in group:
                row.save()
        for comment, row, _ in group:
            made[comment.comment_id] = row.pk
        ImportedItem.objects.bulk_create(
            [
                ImportedItem(
                    origin=origin,
                    kind=ImportedItem.Kind.COMMENT,
                    source_id=comment.comment_id or f"{row.article_id}:{n}",
                    target_id=row.pk,
                )
                for n, (comment, row, _) in enumerate(group)
            ],
            ignore_conflicts=True,
        )
    if closed:
        ArticleCommentState.objects.bulk_create(
            [ArticleCommentState(article_id=pk, closed=True) for pk in closed],
            ignore_conflicts=True,
        )
        touched |= set(closed)
    summary.counts.update(counts)
    return touched


def forget_threads(article_ids: set[int]) -> None:
    """Drop the cached comment threads of these stories (bulk inserts send no signals)."""
    if comments_available() and article_ids:
        from toasoan.comments.moderation import changed

        changed(*article_ids)
