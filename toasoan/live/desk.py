"""What the desk does to a live blog: write, approve, edit, delete, pin, mark, start, end.

Who: reporters write to any blog (their entries wait for review); approving, editing,
deleting, pinning, marking, starting, ending and moderating a Q&A are for the staff who may
edit the blog's page — its section's desk ("Ban …", newsroom.workflow), the managing editor
and the editors-in-chief (Wagtail page permissions) — never another section's editors. The
readers' moderators (comments), who moderate every section's comments, also moderate every
session's questions.

Every change readers must see takes the blog's next version inside one transaction (the
blog's row locked, so two editors never hand out the same number), then tells the caches
that this blog's page changed, and nothing else (core.changes.page_changed): its copies go
stale and the nginx micro-cache is purged, while every other page stays cached.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from toasoan.core.changes import page_changed

from .models import EntryStatus, LiveBlogPage, LiveEntry

APPROVE = "live.approve_liveentry"
PUBLISH = "live.publish_liveentry"
MODERATE = "live.moderate_question"
WRITE = "live.add_liveentry"


class NotAllowed(Exception):
    pass


# The readers' moderators: named as a string, as comments' own screens check it.
READERS_MODERATOR = "comments.change_comment"


def can_write(user) -> bool:
    return user.has_perm(WRITE)


def on_desk(user) -> bool:
    """Has some part in live coverage (the menu, the list of blogs)."""
    return can_write(user) or user.has_perm(MODERATE)


def runs(user, blog: LiveBlogPage) -> bool:
    """May edit the blog's page: its section's desk, the managing editor, the chiefs."""
    return blog.permissions_for_user(user).can_edit()


def can_approve(user, blog: LiveBlogPage) -> bool:
    return user.has_perm(APPROVE) and runs(user, blog)


def is_trusted(user, blog: LiveBlogPage) -> bool:
    """The desk head's lane: what they write is published at once."""
    return user.has_perm(PUBLISH) and runs(user, blog)


def can_edit(user, entry: LiveEntry) -> bool:
    """The blog's desk; the writer too, while the entry waits for review."""
    mine = entry.author_id == user.pk and not entry.is_published
    return mine or can_approve(user, entry.blog)


def can_moderate(user, blog: LiveBlogPage) -> bool:
    if not user.has_perm(MODERATE):
        return False
    return user.has_perm(READERS_MODERATOR) or runs(user, blog)


def _next_version(blog_id: int) -> int:
    LiveBlogPage.objects.filter(pk=blog_id).update(version=F("version") + 1)
    return LiveBlogPage.objects.filter(pk=blog_id).values_list("version", flat=True).get()


def changed(blog: LiveBlogPage) -> None:
    """Readers must see a change of the blog: only its own page's copies go stale and are
    purged (its entries show nowhere else); the rest of the site stays cached."""
    page_changed(blog)


def _lock(blog_id: int) -> None:
    """Take the blog's row until the transaction ends: the desk's changes to one blog queue."""
    LiveBlogPage.objects.select_for_update().filter(pk=blog_id).exists()


def touch(entry: LiveEntry, *fields: str) -> None:
    """Save `fields` of `entry` with the blog's next version (inside a transaction)."""
    _lock(entry.blog_id)
    entry.version = _next_version(entry.blog_id)
    entry.save(update_fields=[*fields, "version"])


@transaction.atomic
def write(blog: LiveBlogPage, user, **values) -> LiveEntry:
    """A new entry: waiting for an editor, or published at once in the trusted lane."""
    if not can_write(user):
        raise NotAllowed
    entry = LiveEntry(blog=blog, author=user, **values)
    entry.save()
    if is_trusted(user, blog):
        _publish(entry, user)
    return entry


def _publish(entry: LiveEntry, user) -> None:
    now = timezone.now()
    entry.status = EntryStatus.PUBLISHED
    entry.approved_by = user
    entry.published_at = entry.published_at or now
    touch(entry, "status", "approved_by", "published_at")
    changed(entry.blog)


@transaction.atomic
def approve(entry: LiveEntry, user) -> None:
    if not can_approve(user, entry.blog):
        raise NotAllowed
    if entry.status == EntryStatus.PENDING:
        _publish(entry, user)


@transaction.atomic
def edit(entry: LiveEntry, user, **values) -> None:
    """An edit; once published it reaches readers (it takes a new version)."""
    if not can_edit(user, entry):
        raise NotAllowed
    for name, value in values.items():
        setattr(entry, name, value)
    fields = list(values)
    if entry.is_published:
        entry.updated_at = timezone.now()
        touch(entry, *fields, "updated_at")
        changed(entry.blog)
    else:
        entry.save(update_fields=fields)


@transaction.atomic
def delete(entry: LiveEntry, user) -> None:
    """Taken off the page (readers' pages drop it); kept for the record and royalties."""
    if not can_approve(user, entry.blog):
        raise NotAllowed
    was_published = entry.is_published
    entry.status = EntryStatus.DELETED
    entry.is_pinned = False
    entry.is_key_event = False
    touch(entry, "status", "is_pinned", "is_key_event")
    if was_published:
        changed(entry.blog)


@transaction.atomic
def restore(entry: LiveEntry, user) -> None:
    """A deleted entry back on the page (deleting is never final)."""
    if not can_approve(user, entry.blog):
        raise NotAllowed
    if entry.status == EntryStatus.DELETED:
        entry.status = EntryStatus.PUBLISHED if entry.published_at else EntryStatus.PENDING
        touch(entry, "status")
        changed(entry.blog)


@transaction.atomic
def pin(entry: LiveEntry, user, pinned: bool = True) -> None:
    """At most one pinned entry: pinning one unpins the other. Two editors pinning at once
    take turns on the blog's row (the second sees the first's pin and takes it off), and the
    database holds one pinned entry per blog at most (the constraint on LiveEntry)."""
    if not can_approve(user, entry.blog):
        raise NotAllowed
    _lock(entry.blog_id)  # before reading which entry is pinned now
    entry.refresh_from_db(fields=["status", "is_pinned"])
    if not entry.is_published:
        raise NotAllowed
    if pinned:
        for other in LiveEntry.objects.filter(blog_id=entry.blog_id, is_pinned=True).exclude(
            pk=entry.pk
        ):
            other.is_pinned = False
            touch(other, "is_pinned")
    entry.is_pinned = pinned
    touch(entry, "is_pinned")
    changed(entry.blog)


@transaction.atomic
def mark_key_event(entry: LiveEntry, user, key: bool = True) -> None:
    if not can_approve(user, entry.blog) or not entry.is_published:
        raise NotAllowed
    entry.is_key_event = key
    touch(entry, "is_key_event")
    changed(entry.blog)


def _set_times(blog: LiveBlogPage, **values) -> None:
    """Start or end: saved on the live page and its latest revision alike, so a later
    publish of a draft does not undo it."""
    LiveBlogPage.objects.filter(pk=blog.pk).update(version=F("version") + 1, **values)
    for name, value in values.items():
        setattr(blog, name, value)
    revision = blog.latest_revision
    if revision is not None:
        revision.content.update({k: v.isoformat() if v else None for k, v in values.items()})
        revision.save(update_fields=["content"])
    changed(blog)


@transaction.atomic
def start(blog: LiveBlogPage, user) -> None:
    if not can_approve(user, blog):
        raise NotAllowed
    _set_times(blog, coverage_start=blog.coverage_start or timezone.now(), coverage_end=None)


@transaction.atomic
def end(blog: LiveBlogPage, user) -> None:
    """Closing sets the end time (JSON-LD's coverageEndTime) and stops readers' polling."""
    if not can_approve(user, blog):
        raise NotAllowed
    now = timezone.now()
    _set_times(blog, coverage_start=blog.coverage_start or now, coverage_end=now)
