"""Each edition's feeds, Google News sitemap and search return only that edition's stories."""

import re

import feedparser
import pytest
from django.urls import reverse
from django.utils import translation

from toasoan.editions.models import EditionMasthead
from toasoan.search.indexing import index_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(story, en_story, en_locale):
    EditionMasthead.objects.create(locale=en_locale, name="Quang Nam Online")
    return story, en_story


def _titles(url_content: bytes) -> list[str]:
    return [entry.title for entry in feedparser.parse(url_content).entries]


def test_latest_feeds_per_edition(client, both):
    story, en_story = both
    vi = client.get("/rss/tin-moi-nhat.rss")
    en = client.get("/en/rss/tin-moi-nhat.rss")
    assert _titles(vi.content) == [story.title]
    assert _titles(en.content) == [en_story.title]
    en_feed = feedparser.parse(en.content).feed
    assert en_feed.language == "en" and en_feed.title == "Quang Nam Online — Latest news"
    assert feedparser.parse(vi.content).feed.language == "vi"


def test_section_feeds_per_edition(client, both, en_section):
    story, en_story = both
    assert _titles(client.get("/en/rss/news.rss").content) == [en_story.title]
    assert _titles(client.get("/rss/thoi-su.rss").content) == [story.title]
    # The English section page advertises its own feed.
    html = client.get("/en/news/").content.decode()
    assert 'href="/en/rss/news.rss"' in html


def test_news_sitemaps_per_edition_with_their_language(client, both):
    story, en_story = both
    vi = client.get("/sitemap-news.xml").content.decode()
    en = client.get("/en/sitemap-news.xml").content.decode()
    assert story.title in vi and en_story.title not in vi
    assert en_story.title in en and story.title not in en
    assert "<news:language>vi</news:language>" in vi
    assert "<news:language>en</news:language>" in en
    assert "<news:name>Quang Nam Online</news:name>" in en
    assert f"http://testserver{en_story.url}" in en


def test_sitemaps_per_edition_and_robots_lists_them_all(client, both):
    story, en_story = both
    index = client.get("/en/sitemap.xml").content.decode()
    pages = re.findall(r"<loc>([^<]+)</loc>", index)
    assert pages and all("/en/" in url for url in pages)
    stories = client.get(pages[0].replace("http://testserver", "")).content.decode()
    assert en_story.url in stories and story.url not in stories
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/en/sitemap.xml" in robots
    assert "Sitemap: http://testserver/sitemap-news.xml" in robots


def test_search_per_edition(client, both, pen_name):
    story, en_story = both
    for page in both:
        index_story(page)

    def found(path, words):  # results are linked by URL (titles carry <mark> highlights)
        return client.get(path, {"q": words}).content.decode()

    assert story.url in found("/search/", "thong tin doi ngoai")
    assert en_story.url not in found("/search/", "Quang Nam")  # English words, other edition
    en = found("/en/search/", "investors")
    assert en_story.url in en
    assert story.url not in found("/en/search/", "thong tin doi ngoai")
    assert '<html lang="en">' in en


def test_english_stemming_on_postgresql(client, both):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("English stemming needs PostgreSQL's `english` configuration")
    story, en_story = both
    index_story(en_story)
    html = client.get("/en/search/", {"q": "investor"}).content.decode()  # "investors"
    assert en_story.url in html


def test_the_masthead_search_box_and_feed_link_stay_in_the_edition(client, en_story):
    html = client.get(en_story.url).content.decode()
    assert 'action="/en/search/"' in html
    assert 'href="/en/rss/tin-moi-nhat.rss"' in html
    with translation.override("en"):
        assert reverse("search:search") == "/en/search/"
