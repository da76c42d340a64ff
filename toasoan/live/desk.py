"""What the desk does to a live blog: write, approve, edit, delete, pin, mark, start, end.

Every change readers must see takes the blog's next version inside one transaction (the
blog's row locked, so two editors never hand out the same number), then tells the caches
(core.changes): the page's copies go stale and the nginx micro-cache is purged.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from toasoan.core.changes import content_changed

from .models import EntryStatus, LiveBlogPage, LiveEntry

APPROVE = "live.approve_liveentry"
PUBLISH = "live.publish_liveentry"
MODERATE = "live.moderate_question"
WRITE = "live.add_liveentry"


class NotAllowed(Exception):
    pass


def can_write(user) -> bool:
    return user.has_perm(WRITE)


def can_approve(user) -> bool:
    return user.has_perm(APPROVE)


def is_trusted(user) -> bool:
    """The desk head's lane: what they write is published at once."""
    return user.has_perm(PUBLISH)


def can_moderate(user) -> bool:
    return user.has_perm(MODERATE)


def _next_version(blog_id: int) -> int:
    LiveBlogPage.objects.filter(pk=blog_id).update(version=F("version") + 1)
    return LiveBlogPage.objects.filter(pk=blog_id).values_list("version", flat=True).get()


def _changed(blog: LiveBlogPage) -> None:
    content_changed(pages=[blog])


def touch(entry: LiveEntry, *fields: str) -> None:
    """Save `fields` of `entry` with the blog's next version (inside a transaction)."""
    LiveBlogPage.objects.select_for_update().filter(pk=entry.blog_id).exists()
    entry.version = _next_version(entry.blog_id)
    entry.save(update_fields=[*fields, "version"])


@transaction.atomic
def write(blog: LiveBlogPage, user, **values) -> LiveEntry:
    """A new entry: waiting for an editor, or published at once in the trusted lane."""
    if not can_write(user):
        raise NotAllowed
    entry = LiveEntry(blog=blog, author=user, **values)
    entry.save()
    if is_trusted(user):
        _publish(entry, user)
    return entry


def _publish(entry: LiveEntry, user) -> None:
    now = timezone.now()
    entry.status = EntryStatus.PUBLISHED
    entry.approved_by = user
    entry.published_at = entry.published_at or now
    touch(entry, "status", "approved_by", "published_at")
    _changed(entry.blog)


@transaction.atomic
def approve(entry: LiveEntry, user) -> None:
    if not can_approve(user):
        raise NotAllowed
    if entry.status == EntryStatus.PENDING:
        _publish(entry, user)


@transaction.atomic
def edit(entry: LiveEntry, user, **values) -> None:
    """An edit; once published it reaches readers (it takes a new version)."""
    if not (can_approve(user) or (entry.author_id == user.pk and not entry.is_published)):
        raise NotAllowed
    for name, value in values.items():
        setattr(entry, name, value)
    fields = list(values)
    if entry.is_published:
        entry.updated_at = timezone.now()
        touch(entry, *fields, "updated_at")
        _changed(entry.blog)
    else:
        entry.save(update_fields=fields)


@transaction.atomic
def delete(entry: LiveEntry, user) -> None:
    """Taken off the page (readers' pages drop it); kept for the record and royalties."""
    if not can_approve(user):
        raise NotAllowed
    was_published = entry.is_published
    entry.status = EntryStatus.DELETED
    entry.is_pinned = False
    entry.is_key_event = False
    touch(entry, "status", "is_pinned", "is_key_event")
    if was_published:
        _changed(entry.blog)


@transaction.atomic
def restore(entry: LiveEntry, user) -> None:
    """A deleted entry back on the page (deleting is never final)."""
    if not can_approve(user):
        raise NotAllowed
    if entry.status == EntryStatus.DELETED:
        entry.status = EntryStatus.PUBLISHED if entry.published_at else EntryStatus.PENDING
        touch(entry, "status")
        _changed(entry.blog)


@transaction.atomic
def pin(entry: LiveEntry, user, pinned: bool = True) -> None:
    """At most one pinned entry: pinning one unpins the other."""
    if not can_approve(user) or not entry.is_published:
        raise NotAllowed
    if pinned:
        for other in LiveEntry.objects.filter(blog_id=entry.blog_id, is_pinned=True).exclude(
            pk=entry.pk
        ):
            other.is_pinned = False
            touch(other, "is_pinned")
    entry.is_pinned = pinned
    touch(entry, "is_pinned")
    _changed(entry.blog)


@transaction.atomic
def mark_key_event(entry: LiveEntry, user, key: bool = True) -> None:
    if not can_approve(user) or not entry.is_published:
        raise NotAllowed
    entry.is_key_event = key
    touch(entry, "is_key_event")
    _changed(entry.blog)


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
    _changed(blog)


@transaction.atomic
def start(blog: LiveBlogPage, user) -> None:
    if not can_approve(user):
        raise NotAllowed
    _set_times(blog, coverage_start=blog.coverage_start or timezone.now(), coverage_end=None)


@transaction.atomic
def end(blog: LiveBlogPage, user) -> None:
    """Closing sets the end time (JSON-LD's coverageEndTime) and stops readers' polling."""
    if not can_approve(user):
        raise NotAllowed
    now = timezone.now()
    _set_times(blog, coverage_start=blog.coverage_start or now, coverage_end=now)
