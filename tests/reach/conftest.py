import pytest
from django.core.cache import cache

# Editions fixtures (en_home, en_section…) for the report's two editions.
from tests.editions.conftest import en_home, en_locale, en_section  # noqa: F401
from toasoan.readership import counting, visitors

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130 Mobile Safari/537.36"


@pytest.fixture(autouse=True)
def fresh_counting(settings):
    """No salt, "seen" mark or buffered event left from another test (another database)."""
    visitors._salts.clear()
    cache.clear()
    if settings.REDIS_URL:
        counting.redis_client().delete(counting.events_key())
    yield
    visitors._salts.clear()


def beacon(client, story, address: str, agent: str = BROWSER, **extra):
    """The view beacon of a story, as a reader's browser at `address` sends it."""
    data = {"r": extra.pop("referrer", ""), "q": extra.pop("query", "")}
    return client.post(
        f"/luot-doc/{story.pk}/", data, HTTP_USER_AGENT=agent, REMOTE_ADDR=address, **extra
    )
