"""The circuit breaker (toasoan.core.breaker) and the content generation while the shared
cache is away (toasoan.core.changes)."""

import logging
import time

import pytest

from toasoan.core import breaker, changes


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(breaker.time, "monotonic", lambda: now[0])
    return now


def _fails():
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def test_after_a_failure_calls_are_skipped_then_one_probe_closes_it(clock, caplog):
    guard = breaker.Breaker("Redis")
    caplog.set_level(logging.WARNING, "toasoan.outage")
    with pytest.raises(ConnectionError):
        guard.call(_fails)
    for _ in range(500):  # a busy worker during the pause: no call reaches the server
        with pytest.raises(breaker.Unavailable):
            guard.call(lambda: pytest.fail("called while open"))
    clock[0] += 1.01
    with pytest.raises(ConnectionError):
        guard.call(_fails)  # the probe fails: the pause doubles
    clock[0] += 1.01
    assert not guard.allows()
    clock[0] += 1.0
    assert guard.call(lambda: "PONG") == "PONG"
    assert guard.allows() and guard.call(lambda: 1) == 1

    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 2, lines  # one when it goes, one when it returns: never one per call
    assert lines[0].startswith("Redis không dùng được (Error 111")
    assert lines[1] == "Redis đã trở lại sau 3.0 s (501 lần gọi bỏ qua, 2 lần lỗi)"
    assert not any(record.exc_info for record in caplog.records)  # no tracebacks


def test_the_pause_grows_to_a_ceiling(clock):
    guard = breaker.Breaker("Redis", first_pause=1, max_pause=4)
    guard.failed("timeout")
    pauses = []
    for _ in range(5):
        clock[0] = guard.until
        assert guard.allows()  # the probe
        guard.failed("timeout")
        pauses.append(guard.pause)
    assert pauses == [2, 4, 4, 4, 4]


def test_a_slow_answer_opens_it_like_a_failure(clock):
    guard = breaker.Breaker("Redis", slow=0.3)

    def slow():
        clock[0] += 0.5
        return "late"

    assert guard.call(slow) == "late"  # the answer is used, the next calls are not made
    assert not guard.allows()


def test_while_the_shared_cache_is_away_the_generation_stays_put(monkeypatch):
    changes.forget_trusted()
    first = changes.trusted_generation()
    monkeypatch.setattr(changes, "_shared_generation", lambda: None)  # Redis away
    clock_numbers = iter(range(first + 1, first + 100))
    monkeypatch.setattr(changes, "_fresh_number", lambda: next(clock_numbers))
    monkeypatch.setattr(changes, "TRUSTED_SECONDS", 0)
    # A new number per request would make every worker copy unreachable.
    assert {changes.trusted_generation() for _ in range(20)} == {first}


def test_a_change_made_while_away_is_shared_when_the_cache_returns(monkeypatch):
    changes.forget_trusted()
    first = changes.trusted_generation()
    away = {"now": True}
    real_incr = changes.cache.incr
    monkeypatch.setattr(changes, "TRUSTED_SECONDS", 0)
    monkeypatch.setattr(changes.cache, "incr", lambda key: None if away["now"] else real_incr(key))
    real_shared = changes._shared_generation
    monkeypatch.setattr(
        changes, "_shared_generation", lambda: (None, 0, 0) if away["now"] else real_shared()
    )

    changes.bump()  # an editor publishes on this worker while Redis is away
    during = changes.trusted_generation()
    assert during != first  # this worker shows the change at once

    away["now"] = False
    after = changes.trusted_generation()
    assert after == first + 1  # pushed to the shared counter: every worker sees it
    assert changes.cache.get(changes.GENERATION_KEY) == first + 1


@pytest.mark.django_db
def test_a_frame_change_made_while_away_shows_at_once_and_is_shared_later(monkeypatch):
    """A section renamed while Redis is away: this worker reads its menus again at once, and
    every worker does once the cache returns (which change it was cannot be told apart)."""
    changes.forget_trusted()
    changes.forget_remembered()
    away = {"now": True}
    real_incr, real_shared = changes.cache.incr, changes._shared_generation
    monkeypatch.setattr(changes, "TRUSTED_SECONDS", 0)
    reads = []
    menu = lambda: changes.framed("menu", lambda: reads.append(1) or len(reads))  # noqa: E731
    assert menu() == 1 and menu() == 1  # kept
    monkeypatch.setattr(changes.cache, "incr", lambda key: None if away["now"] else real_incr(key))
    monkeypatch.setattr(
        changes, "_shared_generation", lambda: (None, 0, 0) if away["now"] else real_shared()
    )
    before = changes.cache.get(changes.FRAME_KEY)

    changes.content_changed(frame=True)
    assert menu() == 2  # read again on this worker at once

    away["now"] = False
    assert changes.cache.get(changes.FRAME_KEY) == before  # not shared while away
    changes.trusted_generation()
    assert changes.cache.get(changes.FRAME_KEY) != before  # shared: every worker reads again


def test_a_frame_lost_from_the_cache_never_comes_back_to_an_old_number():
    """Redis evicted or flushed the frame while a menu kept under it may still be there: the
    frame starts again at a clock number, not at 0, where an old copy may wait."""
    changes.forget_trusted()
    old = changes.frame()
    changes.cache.delete(changes.FRAME_KEY)
    changes.forget_trusted()
    time.sleep(0.002)  # the clock number is in milliseconds
    assert changes.frame() not in (0, old)
