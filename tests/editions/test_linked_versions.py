"""Each story links to its versions: hreflang both ways plus x-default, and the switcher."""

import re

import pytest

from tests.editions.conftest import request_translation, translate_segments
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def _publish_english_version(story, en_locale):
    translation = request_translation(story, en_locale)
    english = {story.title: "External information drives economic growth"}
    translate_segments(translation, lambda text: english.get(text, f"EN {text}"))
    translation.save_target(publish=False)  # (publish=True waits for a commit tests never make)
    english = translation.get_target_instance().specific
    english.get_latest_revision().publish()
    return english.__class__.objects.get(pk=english.pk)


def _alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', html))


def test_hreflang_pairs_are_reciprocal_with_x_default(client, story, en_section, en_locale):
    english = _publish_english_version(story, en_locale)
    vi_links = _alternates(client.get(story.url).content.decode())
    en_links = _alternates(client.get(english.url).content.decode())
    expected = {
        "vi": f"http://testserver{story.url}",
        "en": f"http://testserver{english.url}",
        "x-default": f"http://testserver{story.url}",
    }
    assert vi_links == en_links == expected
    assert english.url.startswith("/en/news/external-information-drives-economic-growth-")


def test_switcher_goes_to_the_counterpart_both_ways(client, story, en_section, en_locale):
    english = _publish_english_version(story, en_locale)
    vi_html = client.get(story.url).content.decode()
    en_html = client.get(english.url).content.decode()
    assert f'href="http://testserver{english.url}" hreflang="en"' in vi_html
    assert f'href="http://testserver{story.url}" hreflang="vi"' in en_html


def test_switcher_falls_back_to_the_editions_home(client, story, en_story):
    vi_html = client.get(story.url).content.decode()
    en_html = client.get(en_story.url).content.decode()
    assert 'href="http://testserver/en/" hreflang="en"' in vi_html
    assert 'href="http://testserver/" hreflang="vi"' in en_html
    # A story with no other version names only itself (and x-default) in hreflang.
    assert set(_alternates(en_html)) == {"en", "x-default"}


def test_homes_and_sections_are_linked_versions_too(client, home, en_home, en_section):
    assert set(_alternates(client.get("/").content.decode())) == {"vi", "en", "x-default"}
    assert _alternates(client.get("/en/news/").content.decode())["vi"] == (
        "http://testserver/thoi-su/"
    )


def test_unpublishing_a_version_drops_its_links(client, story, en_section, en_locale):
    english = _publish_english_version(story, en_locale)
    assert 'hreflang="en"' in client.get(story.url).content.decode()
    english.unpublish()
    links = _alternates(client.get(story.url).content.decode())
    assert "en" not in links


def test_related_stories_stay_in_the_storys_language(story, en_story, en_section, en_locale):
    story.topics.add("Quảng Nam")
    story.save_revision().publish()
    en_story.topics.add("Quảng Nam")
    en_story.save_revision().publish()
    other = ArticlePageFactory(parent=en_section, title="Hoi An lantern nights")
    assert en_story.related_stories() and story not in en_story.related_stories()
    assert en_story not in story.related_stories() and other not in story.related_stories()
    # A chosen Vietnamese story gives way to its English version on an English page.
    english = _publish_english_version(story, en_locale)
    en_story.related_links.create(article=story)
    en_story.save_revision().publish()
    en_story.refresh_from_db()
    assert en_story.related_stories() == [english]
