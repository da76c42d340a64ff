import pytest

from toasoan.core import breaker


@pytest.fixture(autouse=True)
def patient_redis_breaker(monkeypatch):
    """fakeredis runs the counting's Lua scripts in this process (lupa): the first call
    compiles them, which on a loaded CI machine takes longer than the breaker's 0.3 s mark
    for a slow Redis, and the breaker then sent the rest of the test's views to the
    database. A slow in-process fake is not a Redis outage (tests/reach tests the breaker)."""
    monkeypatch.setattr(breaker.redis, "slow", 30.0)
    breaker.redis.reset()
    yield
    breaker.redis.reset()
