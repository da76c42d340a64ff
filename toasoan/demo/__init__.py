"""The demo paper: every app's demo content, loaded by `manage.py load_demo` (the top floor)."""

from functools import lru_cache

from django.conf import settings

DEMO_PASSWORD = "toasoan-demo"  # every demo staff account's; printed when the demo loads


def demo_password_hash() -> str:
    """DEMO_PASSWORD hashed once for every demo account: a password hash costs about a
    second of CPU by design (PBKDF2), and the demo has 17 accounts (`make run`, tests)."""
    return _hashed(tuple(settings.PASSWORD_HASHERS))


@lru_cache
def _hashed(hashers: tuple[str, ...]) -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(DEMO_PASSWORD)
