"""Titles and names that arrive with markup (WordPress allows it in titles, agencies send it
in headlines and feed titles) come in as plain text, entities decoded, NFC; slugs come from
that plain text."""

import json
import unicodedata

import pytest

from toasoan.ingest.models import ImportedItem, WireItem, WireSource
from toasoan.ingest.ninjs_import import import_ninjs
from toasoan.ingest.wires import poll_source
from toasoan.ingest.wordpress import import_wxr
from toasoan.newsroom.models import ArticlePage, PenName, SectionPage, Topic

pytestmark = pytest.mark.django_db

MARKED_UP = "Title <em>With</em> <b>Mark<sup>up</sup></b>"
# Decomposed (NFD) Vietnamese, an entity, a numeric entity, an escaped tag that is text.
VIETNAMESE = unicodedata.normalize(
    "NFD", "<i>Đà Nẵng</i> &amp; Hội An &#8211; <strong>mùa</strong> lễ hội &lt;2025&gt;"
)
VIETNAMESE_PLAIN = "Đà Nẵng & Hội An – mùa lễ hội <2025>"
SECTION = '<span style="color:red">Thời</span> <b>sự</b>'

WXR = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Báo cũ</title><link>https://baocu.test</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://baocu.test</wp:base_site_url>
<wp:author><wp:author_login>vana</wp:author_login>
  <wp:author_display_name><![CDATA[<b>V.A</b> <i>(Đà Nẵng)</i>]]></wp:author_display_name>
</wp:author>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>thoi-su</wp:category_nicename>
  <wp:category_parent></wp:category_parent>
  <wp:cat_name><![CDATA[{section}]]></wp:cat_name>
</wp:category>
<wp:tag><wp:term_id>2</wp:term_id><wp:tag_slug>le-hoi</wp:tag_slug>
  <wp:tag_name><![CDATA[Lễ <em>hội</em> &amp; du lịch]]></wp:tag_name></wp:tag>
{items}
</channel></rss>"""

ITEM = """<item><title>{title}</title><link>https://baocu.test/?p={id}</link>
<dc:creator>vana</dc:creator><content:encoded><![CDATA[<p>Nội dung.</p>]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{id}</wp:post_id><wp:post_date_gmt>2021-12-22 03:01:00</wp:post_date_gmt>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="thoi-su"><![CDATA[{section}]]></category>
<category domain="post_tag" nicename="le-hoi"><![CDATA[Lễ <em>hội</em> &amp; du lịch]]></category>
</item>"""


def _xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def imported(origin_id: str) -> ArticlePage:
    return ArticlePage.objects.get(pk=ImportedItem.objects.get(source_id=origin_id).target_id)


def test_wxr_titles_with_markup_become_plain_titles_with_clean_slugs(home, tmp_path):
    export = tmp_path / "baocu.xml"
    items = "\n".join(
        [
            ITEM.format(id=1, title=_xml_text(MARKED_UP), section=SECTION),  # escaped, as WP does
            ITEM.format(id=2, title=f"<![CDATA[{VIETNAMESE}]]>", section=SECTION),
        ]
    )
    export.write_text(WXR.format(items=items, section=SECTION), encoding="utf-8")

    summary = import_wxr(export)

    assert summary.counts["stories_live"] == 2
    story = imported("1")
    assert story.title == story.draft_title == "Title With Markup"
    assert story.slug == "title-with-markup"
    assert story.url.endswith(f"/title-with-markup-{story.pk}.html")
    vietnamese = imported("2")
    assert vietnamese.title == VIETNAMESE_PLAIN
    assert unicodedata.is_normalized("NFC", vietnamese.title)
    assert vietnamese.slug == "da-nang-hoi-an-mua-le-hoi-2025"
    # The other title-like fields: the section, the topic and the pen name.
    section = story.get_parent().specific
    assert isinstance(section, SectionPage) and section.title == "Thời sự"
    assert section.slug == "thoi-su"
    assert list(story.topics.names()) == ["Lễ hội & du lịch"]
    assert Topic.objects.get().slug == "le-hoi-du-lich"
    assert [p.name for p in story.pen_names()] == ["V.A (Đà Nẵng)"]
    assert PenName.objects.get().slug == "va-da-nang"


def test_ninjs_headlines_bylines_and_subjects_with_markup_become_plain(home, tmp_path):
    folder = tmp_path / "baocu"
    folder.mkdir()
    items = [
        {
            "uri": "urn:baocu:1",
            "type": "text",
            "headlines": [{"role": "main", "value": MARKED_UP}],
            "by": "<b>THANH HÀ</b>",
            "subjects": [{"name": "Giao <i>thông</i>"}],
            "bodies": [{"contenttype": "text/html", "value": "<p>Nội dung.</p>"}],
            "versioncreated": "2021-12-22T10:01:00+07:00",
        },
        {
            "uri": "urn:baocu:2",
            "type": "text",
            "headline": VIETNAMESE,
            "body_html": "<p>Nội dung.</p>",
            "versioncreated": "2021-12-22T10:01:00+07:00",
        },
    ]
    (folder / "tin.json").write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")

    import_ninjs(folder)

    story = imported("urn:baocu:1")
    assert story.title == "Title With Markup" and story.slug == "title-with-markup"
    assert [p.name for p in story.pen_names()] == ["THANH HÀ"]
    assert list(story.topics.names()) == ["Giao thông"]
    vietnamese = imported("urn:baocu:2")
    assert vietnamese.title == VIETNAMESE_PLAIN
    assert vietnamese.slug == "da-nang-hoi-an-mua-le-hoi-2025"


def test_wire_titles_and_bylines_with_markup_reach_the_queue_plain(local_server):
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>TTXVN</title>'
        "<link>https://ttxvn.test/</link><description>Tin</description>"
        f"<item><guid>m1</guid><title>{_xml_text(MARKED_UP)}</title>"
        "<link>https://ttxvn.test/tin/m1.html</link>"
        "<description>&lt;p&gt;Nội dung.&lt;/p&gt;</description>"
        "<author>phongvien@ttxvn.test (&lt;b&gt;Minh Anh&lt;/b&gt;)</author>"
        "</item></channel></rss>"
    ).encode()
    source = WireSource.objects.create(
        name="TTXVN", credit="TTXVN", url=local_server.serve("/ttxvn.rss", body=feed)
    )

    assert poll_source(source).new == 1

    item = WireItem.objects.get(guid="m1")
    assert item.title == "Title With Markup"
    assert "<" not in item.byline and "Minh Anh" in item.byline
