"""One public address (BASE_URL) for every absolute link the paper gives out.

`make run` serves http://127.0.0.1:8000 while the Wagtail site is called "localhost": canonical
links and Open Graph said http://localhost/… and sitemaps the request's host. Here the paper is
read on an internal address (testserver) and every link must still name the public one.
"""

import re

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.core import mail

from tests.factories import UserFactory
from toasoan.comments import moderators
from toasoan.comments.models import Comment
from toasoan.comments.tasks import notify_held_comment

PUBLIC = "https://baoquangnam.example"


@pytest.fixture
def public(settings):
    settings.BASE_URL = PUBLIC
    return PUBLIC


def links(text: str) -> list[str]:
    """Every absolute http(s) link in a page, feed, sitemap or JSON document."""
    return re.findall(r"https?://[^\s\"'<>]+", text)


def own_links(text: str) -> list[str]:
    """The links that point at this paper (not schemas, namespaces or share services)."""
    outside = ("schema.org", "sitemaps.org", "google.com", "w3.org", "yahoo.com", "purl.org")
    outside += ("facebook.com", "zalo.me")  # share buttons: our link is their parameter
    return [u for u in links(text) if not any(host in u for host in outside)]


def test_story_page_canonical_open_graph_json_ld_and_share_links_use_base_url(
    client, public, story
):
    html = client.get(story.url).content.decode()
    canonical = PUBLIC + story.url
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert f'"url":"{canonical}"' in html  # JSON-LD NewsArticle
    assert f'data-copy-link="{canonical}"' in html
    assert "testserver" not in html and "localhost" not in html
    assert own_links(html) and all(u.startswith(PUBLIC) for u in own_links(html))


def test_home_section_and_search_pages_use_base_url(client, public, story, section):
    for path in ("/", section.url, "/search/?q=kinh+t%E1%BA%BF"):
        html = client.get(path).content.decode()
        assert "testserver" not in html and "localhost" not in html, path
    home = client.get("/").content.decode()
    assert f'<meta property="og:url" content="{PUBLIC}/">' in home
    assert (
        f'<link rel="canonical" href="{PUBLIC}{section.url}">'
        in client.get(section.url).content.decode()
    )


def test_feeds_use_base_url(client, public, story, section):
    for path in ("/rss/tin-moi-nhat.rss", "/rss/thoi-su.rss"):
        feed = feedparser.parse(client.get(path).content)
        assert not feed.bozo, path
        assert feed.feed.link.startswith(PUBLIC + "/")
        item = feed.entries[0]
        assert item.link == PUBLIC + story.url
        assert item.enclosures[0].href.startswith(PUBLIC + "/media/")
    feed_list = client.get("/rss/").content.decode()
    assert f"{PUBLIC}/rss/tin-moi-nhat.rss" in feed_list and "testserver" not in feed_list


def test_sitemaps_and_robots_use_base_url(client, public, story):
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in robots and "testserver" not in robots
    for path in ("/sitemap.xml", "/sitemap-bai-viet.xml", "/sitemap-chuyen-muc.xml"):
        xml = client.get(path).content.decode()
        assert own_links(xml) and all(u.startswith(PUBLIC) for u in own_links(xml)), path
    stories = client.get("/sitemap-bai-viet.xml").content.decode()
    assert f"<loc>{PUBLIC}{story.url}</loc>" in stories
    news = client.get("/sitemap-news.xml").content.decode()
    assert f"<loc>{PUBLIC}{story.url}</loc>" in news


def test_api_links_use_base_url(client, public, story):
    data = client.get("/api/stories").json()
    item = data["items"][0]
    assert item["url"] == PUBLIC + story.url
    assert item["api_url"] == f"{PUBLIC}/api/stories/{story.pk}"
    assert item["section"]["url"] == PUBLIC + story.get_parent().url
    detail = client.get(f"/api/stories/{story.pk}").content.decode()
    assert own_links(detail) and all(u.startswith(PUBLIC) for u in own_links(detail))
    index = client.get("/api/").json()
    assert index["docs"] == f"{PUBLIC}/api/docs"


def test_moderation_email_links_to_base_url(public, story):
    moderator = UserFactory(email="kiemduyet@toasoan.test")
    moderator.groups.add(Group.objects.create(name=moderators.MODERATOR_GROUP))
    comment = Comment.objects.create(
        article=story, name="An", email="an@x.vn", text="Chờ duyệt", flag="Có từ cấm: x"
    )
    notify_held_comment.enqueue(comment.pk)
    assert f"Duyệt tại: {PUBLIC}/admin/" in mail.outbox[0].body


def test_without_base_url_links_follow_the_request_host(client, settings, story):
    settings.BASE_URL = ""
    html = client.get(story.url).content.decode()
    assert f'<link rel="canonical" href="http://testserver{story.url}">' in html
    assert f'<meta property="og:url" content="http://testserver{story.url}">' in html
    sitemap = client.get("/sitemap-bai-viet.xml").content.decode()
    assert f"<loc>http://testserver{story.url}</loc>" in sitemap
