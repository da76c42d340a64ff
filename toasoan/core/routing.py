"""Read replica routing: anonymous public GETs read from "replica", everything else from "default".

Only readers' page views go to the replica; staff, the admin, every write and every read after
a write in the same request stay on the primary, so an editor always sees what they just saved
and a form never validates against a lagging copy. Outside a request (workers, commands, the
scheduler) all reads use the primary too. The router is installed only when
DATABASE_REPLICA_URL is set (settings.py); the middleware is always on and costs one
contextvar per request.
"""

from __future__ import annotations

import re
from contextvars import ContextVar

from django.core.cache import cache
from django.db import connections

from .changes import JUST_CHANGED_KEY
from .paths import is_staff_or_reader_action

REPLICA = "replica"
_public_read: ContextVar[bool] = ContextVar("toasoan_public_read", default=False)


def is_public_read(request) -> bool:
    """A reader's GET/HEAD of a public page: no signed-in user, not a staff area."""
    if request.method not in ("GET", "HEAD"):
        return False
    if is_staff_or_reader_action(request.path):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


_WRITE = re.compile(r"\s*(?:INSERT|UPDATE|DELETE|MERGE|REPLACE)\b", re.IGNORECASE)


def _watch_writes(execute, sql, params, many, context):
    """Once the request really writes, its later reads go to the primary too."""
    if _WRITE.match(sql):
        _public_read.set(False)
    return execute(sql, params, many, context)


def just_changed() -> bool:
    """Content changed in the last DATABASE_REPLICA_LAG_SECONDS: the replica may not have it
    yet, and a page rendered from it would be cached under the new generation, so read the
    primary for that long."""
    return bool(cache.get(JUST_CHANGED_KEY))


def public_reads(get_response):
    """Mark the request's reads as replica-safe for its whole duration (then unmark)."""

    def middleware(request):
        public = is_public_read(request) and REPLICA in connections.settings and not just_changed()
        token = _public_read.set(public)
        try:
            if not public:
                return get_response(request)
            with connections["default"].execute_wrapper(_watch_writes):
                return get_response(request)
        finally:
            _public_read.reset(token)

    return middleware


def reading_from_replica() -> bool:
    return _public_read.get()


class ReplicaRouter:
    """Public reads → "replica"; writes, and every read after one (`_watch_writes`), → "default"."""

    def db_for_read(self, model, **hints) -> str | None:
        if _public_read.get() and REPLICA in connections.settings:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints) -> str:
        # Also get_or_create()'s and select_for_update()'s reads: they must see the primary.
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        return True  # the replica is a copy of the primary: the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool | None:
        return db != REPLICA  # the replica follows the primary's schema by replication
