# The browser tests here use the demo server and Chromium of tests/e2e.
from tests.e2e.conftest import browser, demo_env, demo_site  # noqa: F401
