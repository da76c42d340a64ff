"""The API answers as its own OpenAPI description says: every endpoint, success and errors,
checked with openapi-core against /api/openapi.json (the description itself is validated)."""

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate

from toasoan.api.models import ApiClient
from toasoan.readership import counting

from .test_api import read

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client, newsroom) -> OpenAPI:
    description = client.get("/api/openapi.json").json()
    validate(description)  # a valid OpenAPI 3.1 document
    return OpenAPI.from_dict(description)


def _check(openapi: OpenAPI, response) -> None:
    request = response.wsgi_request
    openapi.validate_response(DjangoOpenAPIRequest(request), DjangoOpenAPIResponse(response))


def test_every_endpoint_matches_the_description(client, newsroom, openapi, settings):
    story = newsroom.published[1]
    read(story, 1)
    counting.flush()
    cases = {
        "/api/stories": 200,
        "/api/stories?section=thoi-su&topic=du-lich&date_from=01/12/2021&limit=1": 200,
        "/api/stories?edition=vi&kind=tin&date_to=2021-12-21": 200,
        f"/api/stories/{story.pk}": 200,
        f"/api/stories/{story.pk}/ninjs": 200,
        "/api/sections": 200,
        "/api/topics?limit=1": 200,
        "/api/pen-names": 200,
        "/api/search?q=c%E1%BA%A7u": 200,
        "/api/search?q=da+nang&sort=newest&section=thoi-su&date_from=01/12/2021": 200,
        "/api/most-read?window=7d": 200,
        "/api/stories?date_from=hôm+qua": 400,
        "/api/stories?limit=1000": 400,
        "/api/search?q=": 400,
        "/api/stories/999999999": 404,
        f"/api/stories/{newsroom.hidden['draft'].pk}/ninjs": 404,
    }
    for path, status in cases.items():
        response = client.get(path)
        assert response.status_code == status, (path, response.content[:300])
        _check(openapi, response)

    cursor = client.get("/api/stories?limit=1").json()["next_cursor"]
    response = client.get("/api/stories", {"cursor": cursor, "limit": 1})
    assert response.status_code == 200
    _check(openapi, response)


@pytest.mark.usefixtures("one_rate_window")
def test_errors_match_the_description(client, newsroom, openapi, settings):
    refused = client.get("/api/sections", HTTP_X_API_KEY="khong-phai-khoa-" + "z" * 20)
    assert refused.status_code == 401
    _check(openapi, refused)

    settings.API_ANON_RATE = 1
    client.get("/api/sections")
    limited = client.get("/api/sections")
    assert limited.status_code == 429
    _check(openapi, limited)

    partner = ApiClient.objects.create(name="Đối tác thử", requests_per_minute=10)
    keyed = client.get("/api/topics", HTTP_X_API_KEY=partner.key)
    assert keyed.status_code == 200
    _check(openapi, keyed)


def test_not_modified_matches_the_description(client, newsroom, openapi):
    etag = client.get("/api/sections")["ETag"]
    response = client.get("/api/sections", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    _check(openapi, response)


def test_the_description_documents_what_partners_need(client, newsroom):
    description = client.get("/api/openapi.json").json()
    paths = description["paths"]
    assert set(paths) == {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/ninjs",
        "/api/sections",
        "/api/topics",
        "/api/pen-names",
        "/api/search",
        "/api/most-read",
    }
    listing = paths["/api/stories"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "section", "topic", "pen_name", "edition", "date_from", "date_to", "cursor", "limit",
    }  # fmt: skip
    assert {"200", "304", "400", "401", "429"} <= set(listing["responses"])
    assert listing["responses"]["429"]["headers"]["Retry-After"]["required"] is True
    assert {} in listing["security"]  # the key is optional
    schemes = description["components"]["securitySchemes"]
    assert {s["name"] for s in schemes.values()} == {"X-Api-Key", "api_key"}


def test_the_check_does_catch_an_answer_that_breaks_the_description(client, newsroom, openapi):
    import json

    from django.http import HttpResponse
    from openapi_core.templating.responses.exceptions import ResponseNotFound
    from openapi_core.validation.response.exceptions import DataValidationError

    response = client.get("/api/sections")
    data = response.json()
    data["items"][0]["id"] = "không phải số"
    forged = HttpResponse(json.dumps(data), content_type="application/json")
    forged.wsgi_request = response.wsgi_request
    with pytest.raises(DataValidationError):
        _check(openapi, forged)

    teapot = HttpResponse("{}", status=418, content_type="application/json")
    teapot.wsgi_request = response.wsgi_request
    with pytest.raises(ResponseNotFound):
        _check(openapi, teapot)
