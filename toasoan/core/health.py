"""The database connection's health check at the start of a request, without a round trip
when the connection has said nothing.

With CONN_HEALTH_CHECKS (settings.py) Django sends `SELECT 1` before the first query of every
request on a kept connection: one round trip to PostgreSQL on every page, which a reader's
uncached page waits for (a home page makes two other round trips in all). A kept connection
that the server closed (a restart, `pg_terminate_backend`, an idle timeout) has its socket
readable: the server's goodbye or the end of the stream waits there. So the socket is polled
(no waiting): quiet and idle, the connection is as usable as `SELECT 1` would find it and
Django's check is marked done; anything to read, a transaction left open or a broken
connection, and Django's own check runs as before (and reconnects when it fails)."""

from __future__ import annotations

import select

from django.db import connections


def _quiet(connection) -> bool:
    raw = connection.connection
    if raw is None or getattr(raw, "closed", True) or getattr(raw, "broken", True):
        return False
    try:
        from psycopg import pq

        if raw.pgconn.status != pq.ConnStatus.OK:
            return False
        if raw.info.transaction_status != pq.TransactionStatus.IDLE:
            return False
        readable, _, _ = select.select([raw.fileno()], [], [], 0)
    except (ImportError, OSError, ValueError):
        return False
    return not readable


def skip_quiet_health_checks(**kwargs) -> None:
    """`request_started` receiver, after Django's `close_old_connections` (connected first,
    when django.db is imported), which asks for a health check on each kept connection."""
    for connection in connections.all(initialized_only=True):
        if (
            connection.vendor == "postgresql"
            and connection.health_check_enabled
            and not connection.health_check_done
            and _quiet(connection)
        ):
            connection.health_check_done = True
