"""A kept PostgreSQL connection skips the `SELECT 1` at a request's start only while quiet:
one the server closed (a restart, an idle timeout) is still checked and replaced, so the
next reader's page works."""

import select
import time

import pytest
from django.db import connection, connections

from toasoan.core.health import _quiet

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the health check is PostgreSQL's (settings.py)"
)


@pytest.fixture
def kept(db):
    """A second connection to the test database, as a worker keeps one between requests."""
    other = connections.create_connection("default")
    other.ensure_connection()
    with other.cursor() as cursor:
        cursor.execute("SELECT 1")
    yield other
    other.close()


def test_a_quiet_idle_connection_needs_no_round_trip(kept):
    assert _quiet(kept)


def test_a_connection_in_a_transaction_is_checked(kept):
    kept.set_autocommit(False)
    with kept.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert not _quiet(kept)
    kept.rollback()
    kept.set_autocommit(True)


def test_a_connection_the_server_closed_is_checked_and_replaced(kept):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [kept.connection.info.backend_pid])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the server's goodbye reaches the socket
        if select.select([kept.connection.fileno()], [], [], 0.05)[0]:
            break
    assert not _quiet(kept)
    # What Django does with a connection its check was not skipped for: the check fails,
    # the connection is closed, the request's query opens a new one.
    kept.health_check_enabled = True
    kept.health_check_done = False
    kept.close_if_health_check_failed()
    with kept.cursor() as cursor:
        cursor.execute("SELECT 41 + 1")
        assert cursor.fetchone() == (42,)
