"""A story as IPTC ninjs 3.1 (News in JSON), built from the API's own story detail.

Only public fields go in: no `edNote` (editorial notes are internal), no staff names.
Photos get `tag:` URIs (RFC 4151): stable identifiers that do not change with file names.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.html import strip_tags

NINJS_VERSION = "3.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"
BYLINE_REL = {
    "viet": "author",
    "anh": "photographer",
    "video": "videographer",
    "dich": "translator",
}


def _iso(moment) -> str:
    return moment.isoformat(timespec="seconds")


def _photo_uri(host: str, photo_id: int, year: int) -> str:
    return f"tag:{host},{year}:toasoan/photo/{photo_id}"


def ninjs_document(story: dict, *, paper_name: str, photo_years: dict[int, int]) -> dict:
    """`story` is the API's story detail (see serialisers.story_detail)."""
    host = urlsplit(story["url"] or story["api_url"]).hostname or "localhost"
    text = " ".join(strip_tags(story["body_html"]).split())
    first, last = story["first_published_at"], story["last_published_at"]
    doc: dict = {
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "uri": story["api_url"],
        "type": "text",
        "representationType": "full",
        "profile": "toasoan-story",
        "version": str(int(last.timestamp())),
        "firstCreated": _iso(first),
        "contentCreated": _iso(first),
        "versionCreated": _iso(last),
        "pubStatus": "usable",
        "urgency": 1 if story["is_breaking"] else 5,
        "copyrightHolder": paper_name,
        "copyrightNotice": f"© {first.year} {paper_name}",
        "headlines": [{"role": "main", "contentType": "text/plain", "value": story["title"]}],
        "descriptions": [{"role": "summary", "contentType": "text/plain", "value": story["lead"]}],
        "bodies": [
            {
                "role": "main",
                "contentType": "text/html",
                "charCount": len(text),
                "wordCount": len(text.split()),
                "value": story["body_html"],
            }
        ],
        "genres": [{"name": story["kind_label"], "literal": story["kind"]}],
        "altIds": [
            {"role": "toasoan-id", "value": str(story["id"])},
            {"role": "canonical-url", "value": story["url"]},
        ],
    }
    if story["edition"]:
        doc["language"] = story["edition"]
    if story["seo_title"]:
        doc["headlines"].append(
            {"role": "seo", "contentType": "text/plain", "value": story["seo_title"]}
        )
    if story["search_description"]:
        doc["descriptions"].append(
            {"role": "seo", "contentType": "text/plain", "value": story["search_description"]}
        )
    for correction in story["corrections"]:
        doc["descriptions"].append(
            {"role": "correction", "contentType": "text/plain", "value": correction["text"]}
        )
    if story["bylines"]:
        doc["by"] = ", ".join(b["name"] for b in story["bylines"])
        doc["people"] = [
            {
                "name": b["name"],
                "rel": BYLINE_REL.get(b["role"], "contributor"),
                "literal": b["slug"],
                **({"uri": b["url"]} if b["url"] else {}),
            }
            for b in story["bylines"]
        ]
    subjects = []
    if story["section"]:
        section = story["section"]
        subjects.append(
            {"name": section["title"], "rel": "section", "literal": section["slug"]}
            | ({"uri": section["url"]} if section["url"] else {})
        )
    for topic in story["topics"]:
        subjects.append(
            {"name": topic["name"], "rel": "about", "literal": topic["slug"]}
            | ({"uri": topic["url"]} if topic["url"] else {})
        )
    if subjects:
        doc["subjects"] = subjects
    cover = story["cover"]
    if cover:
        picture: dict = {
            "name": "featureimage",
            "rel": "featureimage",
            "uri": _photo_uri(host, cover["id"], photo_years.get(cover["id"], first.year)),
            "type": "picture",
            "representationType": "full",
            "renditions": [
                {
                    "name": rendition["filter_spec"],
                    "href": rendition["url"],
                    "contentType": rendition["mime_type"],
                    "width": rendition["width"],
                    "height": rendition["height"],
                }
                for rendition in cover["renditions"]
            ],
        }
        if cover["caption"]:
            picture["headlines"] = [{"role": "main", "value": cover["caption"]}]
        if cover["alt"]:
            picture["descriptions"] = [{"role": "alt", "value": cover["alt"]}]
        if cover["credit"]:
            picture["by"] = cover["credit"]
        doc["associations"] = [picture]
    return doc
