"""Every story as IPTC ninjs 3.1, valid against the IPTC schema (kept in tests/data, with the
GeoJSON schema it references registered locally: nothing is fetched)."""

import pytest
from wagtail.blocks import StreamValue

from tests.api.ninjs_schema import errors as _errors
from tests.api.ninjs_schema import ninjs_validator
from tests.factories import ArticlePageFactory
from toasoan.newsroom.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def validator():
    return ninjs_validator()


def test_every_published_story_is_valid_ninjs(client, newsroom, validator):
    for story in newsroom.published:
        response = client.get(f"/api/stories/{story.pk}/ninjs")
        assert response.status_code == 200
        document = response.json()
        assert _errors(validator, document) == [], story.title


def test_ninjs_carries_the_story(client, newsroom, validator):
    story = newsroom.published[1]
    ArticlePage.objects.filter(pk=story.pk).update(
        seo_title="Cầu Cửa Đại thông xe",
        corrections=StreamValue(
            ArticlePage._meta.get_field("corrections").stream_block,
            [
                (
                    "correction",
                    {"corrected_at": None, "text": "Cầu dài 1.481 m, không phải 1.841 m."},
                )
            ],
            is_lazy=False,
        ),
    )

    document = client.get(f"/api/stories/{story.pk}/ninjs").json()

    assert _errors(validator, document) == []
    assert document["uri"] == f"http://testserver/api/stories/{story.pk}"
    assert document["standard"]["version"] == "3.1"
    assert document["type"] == "text" and document["pubStatus"] == "usable"
    assert document["language"] == "vi"
    assert document["headlines"][0]["value"] == story.title
    assert {"role": "seo", "contentType": "text/plain", "value": "Cầu Cửa Đại thông xe"} in (
        document["headlines"]
    )
    assert document["descriptions"][0]["value"].startswith("(QNO) - ")
    assert any(d["role"] == "correction" for d in document["descriptions"])
    assert document["by"] == "VĨNH AN, MINH HẢI"
    assert [p["rel"] for p in document["people"]] == ["author", "author"]
    assert {"name": "Giao thông", "rel": "section"}.items() <= document["subjects"][0].items()
    assert {s["name"] for s in document["subjects"]} == {"Giao thông", "Du lịch"}
    assert document["firstCreated"] == "2021-12-21T08:00:00+07:00"
    picture = document["associations"][0]
    assert picture["type"] == "picture" and picture["by"] == "MINH HẢI"
    assert picture["uri"].startswith("tag:testserver,") or picture["uri"].startswith(
        "tag:testserver,"
    )
    assert {(r["width"], r["contentType"]) for r in picture["renditions"]} >= {
        (640, "image/webp"),
        (640, "image/jpeg"),
    }
    assert "1.481 m" in document["bodies"][0]["value"]
    assert document["bodies"][0]["wordCount"] > 5


def test_a_bare_story_is_valid_ninjs_too(client, newsroom, validator):
    bare = ArticlePageFactory(parent=newsroom.kinh_te, title="Tin vắn", body=[], lead_prefix="")
    document = client.get(f"/api/stories/{bare.pk}/ninjs").json()
    assert _errors(validator, document) == []
    assert "associations" not in document and "by" not in document


def test_the_schema_check_does_catch_broken_ninjs(client, newsroom, validator):
    document = client.get(f"/api/stories/{newsroom.published[0].pk}/ninjs").json()
    broken = {**document, "urgency": 12, "editorNote": "nội bộ"}
    del broken["uri"]
    errors = " ".join(_errors(validator, broken))
    assert "'uri' is a required property" in errors
    assert "12 is greater than the maximum of 9" in errors
    assert "editorNote" in errors
