"""The API's human-readable docs (/api/docs, Swagger UI) as a partner's developer opens them:
the description renders, and every file comes from the paper's own server."""

import json
import urllib.request

import pytest

from tests.api.ninjs_schema import errors, ninjs_validator
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1280, 360])
def test_api_docs_render_from_our_own_server(open_page, demo_site, width):
    page = open_page("/api/docs", width=width)
    page.wait_for_selector(".swagger-ui .info .title")

    assert "Toà Soạn" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock-summary-path", has_text="/api/stories").count() >= 3
    outside = [url for url in page.requested_urls if not url.startswith(demo_site)]
    assert outside == []  # no CDN, no validator badge, no web fonts from elsewhere
    screenshot(page, f"api-docs-{width}")


def test_the_demo_paper_through_the_api(open_page, demo_site):
    page = open_page("/api/stories?limit=10")
    data = page.evaluate("JSON.parse(document.body.innerText)")
    assert len(data["items"]) == 10 and data["next_cursor"]
    story = next(item for item in data["items"] if item["cover"])  # briefs may have none
    assert story["url"].endswith(f"-{story['id']}.html")
    assert story["cover"]["renditions"][0]["url"].startswith(demo_site)


def test_the_demo_stories_are_valid_ninjs(demo_site):
    """The demo paper's real stories (photos, quotes, tables, video) against the IPTC schema."""
    validator = ninjs_validator()

    def get(path: str) -> dict:
        with urllib.request.urlopen(demo_site + path, timeout=10) as response:
            return json.load(response)

    stories = get("/api/stories?limit=30")["items"]  # within the per-address limit
    assert len(stories) == 30
    for story in stories:
        assert errors(validator, get(f"/api/stories/{story['id']}/ninjs")) == [], story["title"]
