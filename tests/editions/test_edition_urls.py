"""Vietnamese at /, English at /en/: the URL alone picks the language, never the browser."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_vietnamese_site_ignores_browser_language_and_cookies(client, story, en_home):
    client.cookies["django_language"] = "en"
    for url in ("/", story.url, "/khong-ton-tai/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        html = response.content.decode()
        assert '<html lang="vi">' in html, url
        assert "Trang chủ" in html and ">Home<" not in html, url
        assert "Accept-Language" not in response.get("Vary", ""), url


def test_english_edition_lives_under_en_whatever_the_browser_says(client, en_story):
    response = client.get("/en/", HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html and ">Featured<" in html and "Nổi bật" not in html
    assert en_story.title in html


def test_english_story_url_has_prefix_section_slug_and_id(client, en_story):
    assert en_story.url == (
        f"/en/news/quang-nam-opens-a-one-stop-desk-for-foreign-investors-{en_story.pk}.html"
    )
    response = client.get(en_story.url)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_wrong_paths_redirect_to_each_storys_own_edition(client, en_story, story):
    for wrong, right in (
        (f"/news/old-slug-{en_story.pk}.html", en_story.url),
        (f"/en/tin-cu-{en_story.pk}.html?utm=zalo", en_story.url + "?utm=zalo"),
        (f"/en/thoi-su/{story.slug}-{story.pk}.html", story.url),
    ):
        response = client.get(wrong)
        assert response.status_code == 301, wrong
        assert response["Location"] == right


def test_english_section_page_lists_only_english_stories(client, en_section, en_story, story):
    html = client.get("/en/news/").content.decode()
    assert en_story.title in html and story.title not in html


def test_english_article_page_stays_within_15_queries(client, en_story, story, section):
    for n in range(5):
        ArticlePageFactory(parent=section, title=f"Tin tiếng Việt {n}")
    client.get(en_story.url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(en_story.url)
    assert response.status_code == 200
    assert len(queries) <= 15, "\n".join(q["sql"][:160] for q in queries)


def test_english_pages_use_english_dates(client, en_story):
    html = client.get(en_story.url).content.decode()
    when = en_story.first_published_at
    from django.utils import timezone

    local = timezone.localtime(when)
    assert f"{local:%B} {local.day}, {local:%Y}, {local:%H:%M}" in html
    assert "(GMT+7)" in html


def test_a_languages_locale_is_kept_until_a_locale_is_saved(en_locale, django_assert_num_queries):
    """Every routed page asks for the active language's Locale: read once per content
    change (delivery.sites.remember_locales), read again after a locale is saved."""
    from wagtail.models import Locale

    kept = Locale.objects.get_for_language("en")
    with django_assert_num_queries(0):
        assert Locale.objects.get_for_language("en") is kept
    en_locale.save()
    assert Locale.objects.get_for_language("en") is not kept
    assert Locale.objects.get_for_language("en") == en_locale
