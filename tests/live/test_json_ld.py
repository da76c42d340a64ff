"""The live page's JSON-LD read back as a search engine does (extruct): a LiveBlogPosting
with its coverage times and its latest updates."""

import extruct
import pytest
from django.utils.dateparse import parse_datetime

from toasoan.live import desk, reading

pytestmark = pytest.mark.django_db


def read_back(client, blog) -> dict:
    response = client.get(blog.url)
    found = extruct.extract(
        response.content.decode(), base_url="http://localhost/", syntaxes=["json-ld"]
    )["json-ld"]
    posts = [item for item in found if item.get("@type") == "LiveBlogPosting"]
    assert len(posts) == 1
    return posts[0]


def test_live_blog_posting(client, blog, chief, editor):
    entries = [
        desk.write(blog, chief, text=f"Diễn biến số {n}.", title=f"Mốc {n}" if n % 2 else "")
        for n in range(reading.JSON_LD_UPDATES + 3)
    ]
    pending = desk.write(blog, editor, text="Chưa duyệt")  # editors go through review too
    post = read_back(client, blog)
    assert post["@context"] == "https://schema.org"
    for required in ("headline", "url", "datePublished", "coverageStartTime", "publisher"):
        assert post[required], required
    assert "coverageEndTime" not in post
    assert parse_datetime(post["coverageStartTime"]) is not None
    updates = post["liveBlogUpdate"]
    assert len(updates) == reading.JSON_LD_UPDATES
    assert all(u["@type"] == "BlogPosting" for u in updates)
    newest = entries[::-1][: reading.JSON_LD_UPDATES]
    assert [u["articleBody"] for u in updates] == [e.text for e in newest]
    assert updates[0]["url"].endswith(f"#muc-{newest[0].pk}")
    assert updates[0]["headline"] == newest[0].title or newest[0].text
    assert "Chưa duyệt" not in str(post)
    for update in updates:
        assert parse_datetime(update["datePublished"]) is not None
        assert update["author"]["name"]

    desk.end(blog, editor)
    blog.refresh_from_db()
    ended = read_back(client, blog)
    assert parse_datetime(ended["coverageEndTime"]) >= parse_datetime(ended["coverageStartTime"])
    assert pending.pk not in [u["url"].rsplit("-", 1)[-1] for u in ended["liveBlogUpdate"]]


def test_hostile_text_stays_inside_the_json(client, blog, chief):
    text = '</script><script>alert("x")</script> & "ngoặc"'
    desk.write(blog, chief, text=text, title=text)
    post = read_back(client, blog)
    assert post["liveBlogUpdate"][0]["articleBody"] == text
