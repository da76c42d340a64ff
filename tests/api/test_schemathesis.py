"""schemathesis against the live API: generated requests for every operation of
/api/openapi.json, sent over HTTP to a running server (pytest-django's live_server, on the
test database with the small newsroom of conftest.py). No answer may be a 5xx, and every
answer must match the description: status code, content type, headers and body.

Bounded: EXAMPLES generated requests per operation, derandomised (the same on every run).
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_live_api_matches_its_description(live_server, transactional_db, newsroom):
    # The description is read over HTTP, as any client would. (schemathesis' pytest loader
    # needs pytest internals that pytest 9 no longer has, so each operation runs its own
    # Hypothesis test here.)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    tried = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            case.call_and_validate(checks=CHECKS, timeout=30)
            tried.append(case.operation.label)

        check()
    assert len(tried) >= len(operations) * 5  # Hypothesis really sent requests to each
