"""Addresses under /api/ that no endpoint serves, and methods an endpoint does not take: the
API's own JSON error, in both languages, never Django's HTML page (nor, with DEBUG on, its
list of every URL pattern)."""

import pytest

from toasoan.api.schemas import ErrorOut

pytestmark = pytest.mark.django_db

UNMATCHED = [
    "/api/nothing/",
    "/api/stories/20/ninjs%00",  # a NUL byte
    "/api/stories/",  # the endpoints have no trailing slash
    "/api/stories/20/ninjs/",
    "/api/%ff%fe",  # not UTF-8
    "/api/t%C3%A0i-li%E1%BB%87u",  # Vietnamese, percent-encoded
    "/api/stories/20/%E2%80%AE",  # a bidi override
    "/api/a%0Ab",  # a line break
    "/api/%2e%2e/admin/",  # encoded dot-segments
    "/api/tin-moi-16.html",  # what the public site would take for story 16
]


def assert_api_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    ErrorOut.model_validate(body)  # the shape docs/api.md and the OpenAPI schema promise
    assert body["code"] == code
    assert body["detail"] == f"{body['vi']} / {body['en']}"
    return body


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize("path", UNMATCHED)
def test_an_unknown_address_under_api_answers_a_json_404(client, home, settings, debug, path):
    settings.DEBUG = debug
    body = assert_api_error(client.get(path), 404, "not_found")
    assert "/api/docs" in body["vi"] and "/api/docs" in body["en"]
    assert "URLconf" not in body["en"]  # nothing of Django's debug page


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_any_method_on_an_unknown_address_gets_the_json_404(client, home, settings, method, debug):
    settings.DEBUG = debug
    csrf_checking = client.__class__(enforce_csrf_checks=True)  # as a real partner's POST is
    for each in (client, csrf_checking):
        assert_api_error(getattr(each, method)("/api/nothing/"), 404, "not_found")
    head = client.head("/api/stories/20/ninjs%00")
    assert head.status_code == 404 and head["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("path", ["/api/stories", "/api/stories/20/ninjs", "/api/"])
@pytest.mark.parametrize("method", ["post", "delete"])
def test_a_method_an_endpoint_does_not_take_gets_a_json_405(client, home, path, method):
    response = getattr(client, method)(path)
    body = assert_api_error(response, 405, "method_not_allowed")
    assert method.upper() in body["vi"] and method.upper() in body["en"]
    assert "GET" in response["Allow"]


def test_known_addresses_still_answer(client, home):
    assert client.get("/api/").json()["endpoints"]["stories"] == "http://testserver/api/stories"
    assert client.get("/api/stories").status_code == 200
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/stories/999999").json()["code"] == "not_found"
    assert client.get("/api").status_code == 301  # to /api/, as before
