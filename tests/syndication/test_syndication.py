"""Feeds, sitemaps, robots.txt and structured data, read back as crawlers and readers do."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import extruct
import feedparser
import pytest
import xmlschema
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ArticlePageFactory, PenNameFactory, PhotoFactory, SectionPageFactory

pytestmark = pytest.mark.django_db

STANDARDS = Path(__file__).resolve().parents[1] / "data" / "standards" / "sitemaps"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def schemas():
    return {
        "urlset": xmlschema.XMLSchema(STANDARDS / "sitemap.xsd"),
        "sitemapindex": xmlschema.XMLSchema(STANDARDS / "siteindex.xsd"),
    }


def validate(schemas, xml: bytes) -> ET.Element:
    """Check against the sitemaps.org XSD; Google's extension elements are checked by hand
    (their schemas are not openly licensed), so they are set aside before validating."""
    root = ET.fromstring(xml)
    core = ET.fromstring(xml)
    for parent in core.iter():
        for child in list(parent):
            if not child.tag.startswith(SM):
                parent.remove(child)
    schemas[root.tag.removeprefix(SM)].validate(core)
    return root


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


# --- feeds -----------------------------------------------------------------------------


@pytest.fixture
def nasty(section):
    return ArticlePageFactory(
        parent=section,
        title="Giá vàng & USD <tăng> \x0b\x1f“mạnh” ở Tam Kỳ",
        sapo="Sapo có ký tự điều khiển \x08\x1b và <b>thẻ</b> & dấu.",  # (PostgreSQL refuses NUL)
        lead_prefix="(QNO)",
        topics=["Kinh tế & Tài chính"],
        pen_names=[PenNameFactory(name="MINH HẢI")],
        cover_image=PhotoFactory(),
        first_published_at=datetime(2021, 12, 22, 10, 1, tzinfo=HCM),
    )


def test_latest_feed_is_rss2_with_everything_an_item_needs(client, nasty, story):
    response = get(client, "/rss/tin-moi-nhat.rss")
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    assert feed.feed.language == "vi"
    item = next(e for e in feed.entries if "Giá vàng" in e.title)
    assert item.title == "Giá vàng & USD <tăng>   “mạnh” ở Tam Kỳ"
    assert item.link == f"http://testserver{nasty.url}"
    assert item.id == item.link
    assert f'<guid isPermaLink="true">{item.link}</guid>' in response.content.decode()
    assert item.published.endswith("+0700") and "22 Dec 2021 10:01:00" in item.published
    assert item.summary.startswith("(QNO) - Sapo có ký tự điều khiển")
    assert {t.term for t in item.tags} == {"Thời sự", "Kinh tế & Tài chính"}
    assert item.author == "MINH HẢI"
    enclosure = item.enclosures[0]
    assert enclosure.type == "image/jpeg" and int(enclosure.length) > 0
    assert enclosure.href.startswith("http://testserver/media/")
    assert item.media_content[0]["medium"] == "image"
    assert int(item.media_content[0]["width"]) > 0


def test_section_feeds_include_subsections_and_only_live_stories(client, home, section):
    sub = SectionPageFactory(parent=section, title="Đối ngoại", slug="doi-ngoai")
    other = SectionPageFactory(parent=home, title="Thể thao", slug="the-thao")
    in_sub = ArticlePageFactory(parent=sub, title="Tin đối ngoại")
    ArticlePageFactory(parent=other, title="Tin thể thao")
    ArticlePageFactory(parent=section, title="Bản nháp", live=False)
    gone = ArticlePageFactory(parent=section, title="Bài đã gỡ")
    gone.unpublish()
    titles = [e.title for e in feedparser.parse(get(client, "/rss/thoi-su.rss").content).entries]
    assert titles == [in_sub.title]
    feed = feedparser.parse(get(client, "/rss/thoi-su/doi-ngoai.rss").content)
    assert not feed.bozo and [e.title for e in feed.entries] == [in_sub.title]
    assert feed.feed.title.endswith("Đối ngoại")
    get(client, "/rss/khong-co.rss", status=404)
    get(client, "/rss/thoi-su/%ff.rss", status=404)


def test_feeds_follow_publishing_at_once(client, section):
    assert feedparser.parse(get(client, "/rss/tin-moi-nhat.rss").content).entries == []
    story = ArticlePageFactory(parent=section, title="Tin vừa đăng")
    entries = feedparser.parse(get(client, "/rss/tin-moi-nhat.rss").content).entries
    assert [e.title for e in entries] == ["Tin vừa đăng"]
    story.unpublish()
    assert feedparser.parse(get(client, "/rss/thoi-su.rss").content).entries == []
    assert feedparser.parse(get(client, "/rss/tin-moi-nhat.rss").content).entries == []


def test_every_page_links_its_feeds(client, home, section, story):
    link = '<link rel="alternate" type="application/rss+xml"'
    for url in ("/", "/search/?q=x", "/rss/", story.url, section.url):
        html = get(client, url).content.decode()
        assert f'{link} title="' in html and 'href="/rss/tin-moi-nhat.rss"' in html, url
    for url in (section.url, story.url):
        assert 'href="/rss/thoi-su.rss"' in get(client, url).content.decode(), url


def test_feed_list_page_lists_every_section_feed(client, home, section):
    sub = SectionPageFactory(parent=section, title="Đối ngoại", slug="doi-ngoai")
    html = get(client, "/rss/").content.decode()
    assert "<h1" in html and "RSS" in html
    for href in ("/rss/tin-moi-nhat.rss", "/rss/thoi-su.rss", "/rss/thoi-su/doi-ngoai.rss"):
        assert f'href="{href}"' in html
        assert get(client, href).status_code == 200
    assert sub.title in html


# --- robots and sitemaps -------------------------------------------------------------------


def test_robots_txt_lists_both_sitemaps(client, home):
    text = get(client, "/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text
    assert "Disallow: /admin/" in text


def test_sitemap_index_and_pages_validate_and_carry_lastmod_and_images(
    client, settings, schemas, home, section, story
):
    from toasoan.syndication import metadata, sitemaps

    draft = ArticlePageFactory(parent=section, title="Bản nháp", live=False)
    for n in range(4):
        ArticlePageFactory(parent=section, title=f"Tin lưu trữ {n}")
    settings_limit = sitemaps.StorySitemap.limit
    sitemaps.StorySitemap.limit = 2
    try:
        index = validate(schemas, get(client, "/sitemap.xml").content)
        locations = [e.findtext(f"{SM}loc") for e in index]
        assert locations[:3] == [
            "http://testserver/sitemap-bai-viet.xml",
            "http://testserver/sitemap-bai-viet.xml?p=2",
            "http://testserver/sitemap-bai-viet.xml?p=3",
        ]
        assert "http://testserver/sitemap-chuyen-muc.xml" in locations
        # Each file's lastmod is the newest change among its own stories (oldest first).
        stories = list(sitemaps.StorySitemap(get(client, "/").wsgi_request).items())
        for number, element in enumerate(index[:3]):
            newest = max(s["last_published_at"] for s in stories[number * 2 : number * 2 + 2])
            assert element.findtext(f"{SM}lastmod") == metadata.iso(newest)
        assert all(
            re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$", e.findtext(f"{SM}lastmod"))
            for e in index
        )
        urls = []
        for location in locations:
            page = validate(
                schemas, get(client, location.removeprefix("http://testserver")).content
            )
            urls += [(u.findtext(f"{SM}loc"), u) for u in page]
    finally:
        sitemaps.StorySitemap.limit = settings_limit
    found = dict(urls)
    assert f"http://testserver{story.url}" in found
    assert "http://testserver/" in found and f"http://testserver{section.url}" in found
    assert not any(str(draft.pk) + ".html" in loc for loc in found)
    entry = found[f"http://testserver{story.url}"]
    assert entry.findtext(f"{SM}lastmod").endswith("+07:00")
    image = entry.find(f"{IMAGE}image/{IMAGE}loc").text
    assert image.startswith("http://testserver/media/original_images/")
    get(client, "/sitemap-bai-viet.xml?p=99", status=404)
    get(client, "/sitemap-bai-viet.xml?p=abc", status=404)
    get(client, "/sitemap-khong-co.xml", status=404)


def test_a_new_paper_without_stories_has_a_valid_sitemap_index(client, schemas, home, section):
    index = validate(schemas, get(client, "/sitemap.xml").content)
    assert [e.findtext(f"{SM}loc") for e in index] == ["http://testserver/sitemap-chuyen-muc.xml"]


def test_sitemaps_are_cached_until_the_next_publish(client, section, story):
    get(client, "/sitemap-bai-viet.xml")
    get(client, "/sitemap.xml")
    with CaptureQueriesContext(connection) as queries:
        get(client, "/sitemap-bai-viet.xml")
        get(client, "/sitemap.xml")
    assert len(queries) == 0  # both came from the cache
    fresh = ArticlePageFactory(parent=section, title="Tin mới đăng")
    assert fresh.url in get(client, "/sitemap-bai-viet.xml").content.decode()


def test_news_sitemap_lists_the_last_two_days_only(client, schemas, section):
    recent = ArticlePageFactory(parent=section, title="Tin nóng & mới <hôm nay>")
    old = ArticlePageFactory(
        parent=section,
        title="Tin ba ngày trước",
        first_published_at=timezone.now() - timedelta(days=3),
    )
    ArticlePageFactory(parent=section, title="Bản nháp", live=False)
    root = validate(schemas, get(client, "/sitemap-news.xml").content)
    assert len(root) == 1
    url = root[0]
    assert url.findtext(f"{SM}loc") == f"http://testserver{recent.url}"
    news = url.find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Báo Quảng Nam"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "vi"
    assert news.findtext(f"{NEWS}title") == "Tin nóng & mới <hôm nay>"
    assert re.match(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$", news.findtext(f"{NEWS}publication_date")
    )
    assert old.title not in get(client, "/sitemap-news.xml").content.decode()


def test_news_sitemap_stops_at_1000(client, settings, section):
    from toasoan.syndication import sitemaps

    limit = sitemaps.NEWS_LIMIT
    sitemaps.NEWS_LIMIT = 3
    try:
        for n in range(5):
            ArticlePageFactory(parent=section, title=f"Tin {n}")
        root = ET.fromstring(get(client, "/sitemap-news.xml").content)
        assert [u.findtext(f"{SM}loc") for u in root][0].endswith(".html") and len(root) == 3
    finally:
        sitemaps.NEWS_LIMIT = limit


# --- structured data and sharing ---------------------------------------------------------


def jsonld(html: str, kind: str) -> dict:
    data = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
    return next(d for d in data if d.get("@type") == kind)


def test_article_carries_newsarticle_breadcrumbs_open_graph_and_twitter(
    client, settings, home, section
):
    sub = SectionPageFactory(parent=section, title="Đối ngoại", slug="doi-ngoai")
    pen = PenNameFactory(name="V.A")
    story = ArticlePageFactory(
        parent=sub,
        title="Hoạt động thông tin đối ngoại </script><script>alert(1)</script>",
        sapo="Sáng nay 22.12, hội nghị tổng kết.",
        pen_names=[pen],
        topics=["Đối ngoại", "Quảng Nam"],
        cover_image=PhotoFactory(),
        first_published_at=datetime(2021, 12, 22, 10, 1, tzinfo=HCM),
    )
    html = get(client, story.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    article = jsonld(html, "NewsArticle")
    url = "http://testserver" + story.url  # the canonical address: BASE_URL, else the request host
    assert article["headline"] == story.title
    assert article["description"] == story.sapo
    assert article["datePublished"] == "2021-12-22T10:01:00+07:00"
    assert article["dateModified"].endswith("+07:00")
    assert article["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert article["inLanguage"] == "vi" and article["articleSection"] == "Đối ngoại"
    assert article["keywords"] == "Đối ngoại, Quảng Nam"
    assert article["author"] == [
        {"@type": "Person", "name": "V.A", "url": f"http://testserver/tac-gia/{pen.slug}/"}
    ]
    assert article["publisher"]["@type"] == "NewsMediaOrganization"
    assert article["publisher"]["logo"]["width"] == 512
    image = article["image"][0]
    assert (
        image["url"].startswith("http://testserver/media/")
        and image["width"] > 0
        and image["height"] > 0
    )
    assert (
        Path(settings.MEDIA_ROOT) / image["url"].removeprefix("http://testserver/media/")
    ).exists()

    crumbs = jsonld(html, "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Trang chủ", "Thời sự", "Đối ngoại", story.title]
    assert crumbs[2]["item"] == "http://testserver/thoi-su/doi-ngoai/"

    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="article:published_time" content="2021-12-22T10:01:00+07:00">' in html
    assert re.search(r'<meta property="og:image" content="http://testserver/media/[^"]+">', html)
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert f'<link rel="canonical" href="{url}">' in html
    assert '<meta name="description" content="Sáng nay 22.12, hội nghị tổng kết.">' in html


def test_article_metadata_updates_when_the_story_is_republished(client, story):
    assert jsonld(get(client, story.url).content.decode(), "NewsArticle")["headline"] == story.title
    story.title = "Tiêu đề đã sửa"
    story.save_revision().publish()
    html = get(client, story.url).content.decode()
    assert jsonld(html, "NewsArticle")["headline"] == "Tiêu đề đã sửa"


def test_home_carries_website_search_action(client, home, section, story):
    html = get(client, "/").content.decode()
    website = jsonld(html, "WebSite")
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    assert jsonld(html, "NewsMediaOrganization")["name"] == "Báo Quảng Nam"
    assert '<meta property="og:type" content="website">' in html
    json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))
