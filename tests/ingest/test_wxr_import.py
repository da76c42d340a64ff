"""WordPress import: WordPress's own importer fixtures and generated exports, end to end."""

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from tests.factories import SectionPageFactory, UserFactory
from tests.ingest.conftest import fixture_file, jpeg
from toasoan.comments.models import ArticleCommentState, Comment
from toasoan.frontpage.models import FeaturedSlot
from toasoan.ingest.archive import ALREADY, SKIPPED_SECTION, ImportRefused, Options
from toasoan.ingest.models import ImportedItem, LegacyURL
from toasoan.ingest.sample import Shape, write_wxr
from toasoan.ingest.wordpress import TYPE_REASONS, import_wxr
from toasoan.ingest.wxr import WxrError
from toasoan.newsroom.models import ArticlePage, PenName, Photo, SectionPage, Topic

pytestmark = pytest.mark.django_db


def story(title: str) -> ArticlePage:
    return ArticlePage.objects.get(title=title)


def database_state() -> dict:
    return {
        "pages": Page.objects.count(),
        "pen_names": PenName.objects.count(),
        "topics": Topic.objects.count(),
        "photos": Photo.objects.count(),
        "comments": Comment.objects.count(),
        "imported": ImportedItem.objects.count(),
        "redirects": LegacyURL.objects.count(),
    }


# --- WordPress's own fixtures ------------------------------------------------------------------
def test_small_export_brings_posts_in_and_says_what_it_skipped(home):
    summary = import_wxr(fixture_file("small-export"))

    assert summary.counts["stories_live"] == 5
    assert summary.counts["stories_draft"] == 1  # the private post stays private
    assert summary.skipped[TYPE_REASONS["page"]] == 5
    assert "#2 Sample Page" in summary.examples[TYPE_REASONS["page"]]
    assert ArticlePage.objects.count() == 6
    assert not story("Private Post").live


def test_dates_keep_their_time_zone(home):
    import_wxr(fixture_file("small-export"))

    hello = story("Hello world!")
    assert hello.first_published_at == datetime(2011, 1, 18, 7, 40, 14, tzinfo=UTC)
    assert hello.get_url().endswith(f"/hello-world-{hello.pk}.html")


def test_categories_become_nested_sections_and_tags_topics(home):
    import_wxr(fixture_file("small-export"))

    child = story("Foo-child").get_parent().specific
    assert (child.title, child.slug) == ("Foo", "foo-bar")
    assert child.get_parent().title == "Bar"  # foo-bar's parent category is bar
    top_foo = story("Top-level Foo").get_parent()
    assert top_foo.get_parent().pk == home.pk and top_foo.pk != child.pk
    assert story("Foo-child").url == f"/bar/foo-bar/foo-child-{story('Foo-child').pk}.html"
    assert set(story("Private Post").topics.names()) == {"Tag1", "Tag2", "Tag3"}
    many = story("Many Categories")
    assert many.get_parent().title == "alpha"  # the first category holds the story
    assert {"Bar", "Omega", "远征手记"} <= set(many.topics.names())  # the others are topics
    assert not SectionPage.objects.get(slug="alpha").show_in_menus  # editors choose the menu


def test_authors_become_pen_names_of_outside_contributors(home):
    import_wxr(fixture_file("small-export"))

    assert [p.name for p in story("Foo-child").pen_names()] == ["editor"]
    assert [p.name for p in story("Hello world!").pen_names()] == ["author"]
    editor = PenName.objects.get(name="editor")
    assert editor.staff_member is None
    assert editor.outside_contributor.startswith("FirstName LastName")


def test_author_with_a_staff_email_is_linked_to_the_staff_member(home):
    staff = UserFactory(email="johndoe@example.org")
    import_wxr(fixture_file("valid-wxr-1.1"))

    pen = PenName.objects.get(name="John Doe")
    assert pen.staff_member == staff and pen.outside_contributor == ""
    assert story("Hello world!").owner == staff


def test_another_papers_author_never_takes_a_reporters_pen_name(home, tmp_path):
    from tests.factories import PenNameFactory

    ours = PenNameFactory(name="V.A", staff_member=UserFactory(email="an@toasoan.test"))
    import_wxr(write_wxr(tmp_path / "baocu.xml", posts=2))  # its V.A is an@baocu.test

    theirs = ArticlePage.objects.get(title__endswith=" 2").pen_names()[0]
    assert theirs.name == "V.A (baocu.test)" and theirs.staff_member is None
    assert not ours.bylines.exists()


def test_comments_keep_their_approval_state_and_text(home):
    import_wxr(fixture_file("small-export"))

    comment = Comment.objects.get()
    assert comment.article_id == story("Hello world!").pk
    assert comment.status == "approved"
    assert comment.name == "Mr WordPress"
    assert comment.text.startswith("Hi, this is a comment.\nTo delete a comment")
    assert "post's comments" in comment.text and "<br" not in comment.text


def test_old_addresses_answer_301_with_the_new_one(client, home):
    import_wxr(fixture_file("small-export"))
    hello, foo_child = story("Hello world!"), story("Foo-child")

    response = client.get("/?p=1")
    assert response.status_code == 301 and response["Location"] == hello.url
    # the reader's tracking goes on with them (toasoan.delivery.pagecache)
    assert client.get("/?p=15&utm_source=fb")["Location"] == foo_child.url + "?utm_source=fb"
    assert client.get(hello.url).status_code == 200
    category = client.get("/category/bar/foo-bar/")
    assert (category.status_code, category["Location"]) == (301, foo_child.get_parent().url)
    assert client.get("/tag/tag1/")["Location"] == "/chu-de/tag1/"
    assert client.get("/author/editor/")["Location"] == "/tac-gia/editor/"


def test_drafts_stay_drafts_and_their_old_address_leads_nowhere(client, home):
    import_wxr(fixture_file("small-export"))
    draft = story("Private Post")

    assert client.get("/?p=13").status_code == 200  # the home page, not the private post
    assert client.get(f"/uncategorized/private-post-{draft.pk}.html").status_code == 404


def test_running_again_adds_nothing_twice(home):
    import_wxr(fixture_file("small-export"))
    before = database_state()

    again = import_wxr(fixture_file("small-export"))

    assert again.imported == 0
    assert again.skipped[ALREADY] == 6
    assert database_state() == before


def test_wxr_1_1_and_1_2_with_https_and_unicode_challenges(home):
    import_wxr(fixture_file("valid-wxr-1.1"))
    summary = import_wxr(fixture_file("wxr-utf-8-challenges"))

    assert summary.counts["stories_live"] == 1
    road = ArticlePage.objects.get(pk=ImportedItem.objects.get(source_id="10").target_id)
    assert road.title == '"The Road Not Taken" by Robert Frost 🌲'  # no hidden direction marks
    assert "\u202e" not in str(road.body.raw_data) and "\u202e" not in road.sapo
    assert road.first_published_at == datetime(2024, 6, 5, 16, 4, 48, tzinfo=UTC)
    assert [p.name for p in road.pen_names()] == ["A̸̰̅d̴̰͝m̵͎̽i̵̱̋n̷̰̎"]
    url = LegacyURL.objects.filter(page=road, path__contains="?p=").values_list("path", flat=True)
    assert "/path?p=10" in set(url)  # the blog lived under /path


def test_the_malformed_fixture_is_refused_with_line_and_column_and_writes_nothing(home):
    before = database_state()

    with pytest.raises(WxrError) as refused:
        import_wxr(fixture_file("malformed"))

    assert (refused.value.line, refused.value.column) == (27, 1)
    assert "dòng 27, cột 1" in str(refused.value) and "notachanneltag" in str(refused.value)
    assert database_state() == before


def test_the_command_reports_a_broken_file_clearly(home, tmp_path):
    broken = tmp_path / "hong.xml"
    broken.write_text(fixture_file("small-export").read_text()[:20000])  # cut mid-way
    before = database_state()

    with pytest.raises(CommandError, match=r"dòng \d+, cột \d+"):
        call_command("import_wxr", str(broken))

    assert database_state() == before


@pytest.mark.parametrize(
    "content, message",
    [
        ("<html><body>Không phải WXR</body></html>", "thẻ gốc là <html>"),
        ('<rss version="2.0"><channel><title>x</title><item/></channel></rss>', "wxr_version"),
        ("Tin tức\nkhông phải XML", "dòng 1"),
        ("", "tệp trống"),
        (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss/>',
            "DOCTYPE",
        ),
        (
            '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
            "<wp:wxr_version>2.0</wp:wxr_version></channel></rss>",
            "2.0",
        ),
    ],
)
def test_files_that_are_not_wxr_are_refused(home, tmp_path, content, message):
    path = tmp_path / "khong-phai.xml"
    path.write_text(content)
    before = database_state()

    with pytest.raises(WxrError, match=message):
        import_wxr(path)

    assert database_state() == before


# --- generated exports: images, sticky posts, comments, options ---------------------------
@pytest.fixture
def export(tmp_path):
    return write_wxr(tmp_path / "baocu.xml", posts=20, shape=Shape(sticky_every=7))


def test_wxr_1_0_and_https_namespaces_read_alike(home, tmp_path):
    https = write_wxr(tmp_path / "https.xml", posts=3, https_namespace=True, site="https://a.test")
    old = tmp_path / "wxr10.xml"
    text = write_wxr(tmp_path / "src.xml", posts=3, site="http://b.test").read_text()
    old.write_text(text.replace("export/1.2/", "export/1.0/").replace(">1.2<", ">1.0<"))

    assert import_wxr(https).counts["stories_live"] == 3
    assert import_wxr(old).counts["stories_live"] == 3


def test_sticky_posts_fill_featured_slots_and_drafts_stay_off_the_site(client, home, export):
    summary = import_wxr(export)

    assert summary.counts["stories_live"] == 18 and summary.counts["stories_draft"] == 2
    featured = FeaturedSlot.objects.filter(home=home).order_by("sort_order")
    assert [slot.article.title.split()[-1] for slot in featured] == ["7", "14"]
    assert "14" in client.get("/").content.decode()


def test_comments_in_every_state_and_closed_threads(home, export):
    import_wxr(export)

    statuses = sorted(Comment.objects.values_list("status", flat=True))
    assert statuses == ["approved"] * 4 + ["pending"] * 4 + ["spam"] * 4
    assert not ArticleCommentState.objects.filter(closed=True).exists()


def test_local_files_become_photos_and_other_images_keep_their_address(home, export, tmp_path):
    uploads = tmp_path / "uploads"
    jpeg(uploads / "2015/01/anh-20.jpg")  # post 20's featured image (an attachment)
    jpeg(uploads / "2015/01/anh-5.jpg", color=(20, 90, 160))  # post 5's inline image, full size

    summary = import_wxr(export, Options(media_dir=uploads))

    assert summary.counts["photos"] == 2
    with_cover = ArticlePage.objects.get(title__endswith=" 20")
    assert with_cover.cover_image.caption == "Chú thích ảnh 20"
    post5 = ArticlePage.objects.get(title__endswith=" 5")
    assert [b.block_type for b in post5.body] == ["paragraph", "photo"]
    post10 = ArticlePage.objects.get(title__endswith=" 10")  # no file: the old address stays
    html = str(post10.body)
    assert 'src="https://baocu.test/wp-content/uploads/2015/01/anh-10-300x200.jpg"' in html
    assert "<p></p>" not in html
    assert summary.counts["images_remote"] == 2  # posts 10 and 15
    assert set(Photo.objects.values_list("file", flat=True)).isdisjoint({""})


def test_photos_are_made_once_across_runs_and_keys(home, export, tmp_path):
    uploads = tmp_path / "uploads"
    jpeg(uploads / "2015/01/anh-20.jpg")  # post 20's attachment *and* its inline image
    import_wxr(export, Options(media_dir=uploads))
    import_wxr(export, Options(media_dir=uploads))

    assert Photo.objects.count() == 1


def test_media_dir_never_reads_outside_itself(home, tmp_path):
    secret = jpeg(tmp_path / "secret.jpg")
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    path = tmp_path / "evil.xml"
    text = write_wxr(tmp_path / "src.xml", posts=1, shape=Shape(image_every=0)).read_text()
    path.write_text(text.replace("Nội dung bài 1.", f'<img src="../{secret.name}">'))

    import_wxr(path, Options(media_dir=uploads))

    assert Photo.objects.count() == 0


def test_section_map_puts_categories_where_the_paper_wants_them(home, export):
    economy = SectionPageFactory(parent=home, title="Kinh tế", slug="kinh-te-moi")
    summary = import_wxr(export, Options(section_map={"kinh-te": "kinh-te-moi", "xa-hoi": "-"}))

    # kinh-te and its child nong-nghiep go under our section; xa-hoi and giao-duc are dropped.
    nong_nghiep = SectionPage.objects.get(slug="nong-nghiep")
    assert nong_nghiep.get_parent().pk == economy.pk
    assert ArticlePage.objects.child_of(economy).count() == 4
    assert summary.skipped[SKIPPED_SECTION] == 8
    assert not SectionPage.objects.filter(slug__in=["xa-hoi", "giao-duc"]).exists()


def test_unknown_section_map_target_refuses_before_writing(home, export):
    before = database_state()
    with pytest.raises(ImportRefused, match="khong-co"):
        import_wxr(export, Options(section_map={"kinh-te": "khong-co"}))
    assert database_state() == before


def test_merging_a_paper_into_a_section_on_its_old_domain(client, settings, home, section, export):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "baocu.test", "www.baocu.test"]
    import_wxr(export, Options(target=section, old_domain="https://www.baocu.test/"))

    post3 = ArticlePage.objects.get(title__endswith=" 3")
    assert post3.get_parent().get_parent().pk == section.pk  # thoi-su/<old category>/
    assert post3.pen_names()[0].name == "HOÀNG LIÊN"
    old = "/2015/01/bai-3/"
    moved = client.get(old, HTTP_HOST="baocu.test")
    assert (moved.status_code, moved["Location"]) == (301, post3.full_url)  # to our domain
    assert client.get(old, HTTP_HOST="www.baocu.test")["Location"] == post3.full_url
    assert client.get(old).status_code == 404  # our own domain: not the old paper's address


def test_flatten_puts_every_story_in_the_section(home, section, export):
    import_wxr(export, Options(target=section, flatten=True, featured=False))

    assert ArticlePage.objects.child_of(section).count() == 20
    assert not SectionPage.objects.descendant_of(section).exists()
    assert "Kinh tế" in ArticlePage.objects.get(title__endswith=" 1").topics.names()
    assert not FeaturedSlot.objects.exists()


def test_imported_stories_are_searchable(client, home, export):
    import_wxr(export)

    found = ArticlePage.objects.get(title__endswith=" 13")
    html = client.get("/search/", {"q": found.title}).content.decode()
    assert f"-{found.pk}.html" in html


def test_edited_and_published_imported_story_keeps_its_url(admin_client, settings, home, export):
    settings.TWO_FACTOR_REQUIRED = False  # this test is about the editor, not sign-in
    import_wxr(export)
    imported = ArticlePage.objects.get(title__endswith=" 3")

    imported.save_revision().publish()
    imported.refresh_from_db()

    assert admin_client.get(f"/admin/pages/{imported.pk}/edit/").status_code == 200
    assert imported.url.endswith(f"-{imported.pk}.html")


def test_a_story_deleted_by_the_newsroom_is_not_brought_back(home):
    import_wxr(fixture_file("small-export"))
    story("Hello world!").delete()

    again = import_wxr(fixture_file("small-export"))

    assert again.imported == 0
    assert not ArticlePage.objects.filter(title="Hello world!").exists()


def test_new_comments_of_an_imported_story_come_in_on_the_next_run(home, tmp_path):
    first = fixture_file("small-export").read_text()
    import_wxr(fixture_file("small-export"))
    newer = tmp_path / "newer.xml"
    reply = (
        "<wp:comment><wp:comment_id>2</wp:comment_id>"
        "<wp:comment_author><![CDATA[Bạn đọc]]></wp:comment_author>"
        "<wp:comment_date_gmt>2011-01-19 01:00:00</wp:comment_date_gmt>"
        "<wp:comment_content><![CDATA[Cảm ơn!]]></wp:comment_content>"
        "<wp:comment_approved>0</wp:comment_approved>"
        "<wp:comment_parent>1</wp:comment_parent></wp:comment>"
    )
    newer.write_text(first.replace("</wp:comment>", "</wp:comment>" + reply, 1))

    import_wxr(newer)

    thread = Comment.objects.get(status="approved")
    answer = Comment.objects.get(status="pending")
    assert (answer.text, answer.parent) == ("Cảm ơn!", thread)
    assert ArticlePage.objects.count() == 6


def test_an_old_address_that_looks_like_one_of_ours_goes_to_the_imported_story(
    client, home, section, tmp_path
):
    from tests.factories import ArticlePageFactory

    ours = ArticlePageFactory(parent=section, title="Bài của báo mình")
    text = write_wxr(tmp_path / "src.xml", posts=1).read_text()
    path = tmp_path / "html-links.xml"
    # The old site's permalinks end in -<number>.html, like ours; this number is our story's.
    path.write_text(text.replace("/2015/01/bai-1/", f"/tin-tuc/bai-cu-{ours.pk}.html"))
    import_wxr(path)
    imported = ArticlePage.objects.exclude(pk=ours.pk).get()

    response = client.get(f"/tin-tuc/bai-cu-{ours.pk}.html")

    assert (response.status_code, response["Location"]) == (301, imported.url)
    assert client.get(ours.url).status_code == 200  # our own story is untouched
