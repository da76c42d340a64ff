import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.rich_text import RichText

from tests.factories import (
    ArticlePageFactory,
    PenNameFactory,
    PhotoFactory,
    SectionPageFactory,
    image_file,
)
from toasoan.comments.models import Comment, Status
from toasoan.newsroom.bulk import StoryRow, bulk_add_stories, paragraph
from toasoan.newsroom.models import ArticlePage
from toasoan.polls.models import Choice, Poll

pytestmark = pytest.mark.django_db

SEED_SLUG = "hoat-dong-thong-tin-doi-ngoai-co-vai-tro-quan-trong-thuc-day-phat-trien-kinh-te"


def test_public_url_is_section_slug_and_id(story):
    assert story.url == f"/thoi-su/{SEED_SLUG}-{story.pk}.html"


def test_other_slug_or_section_redirects_permanently(client, story):
    for wrong in (
        f"/thoi-su/{story.pk}.html",
        f"/thoi-su/ten-cu-{story.pk}.html",
        f"/kinh-te/{SEED_SLUG}-{story.pk}.html",
        f"/khong-co/muc/nao/x-{story.pk}.html",
        f"/thoi-su/{story.slug}/",
    ):
        response = client.get(wrong + "?utm_source=zalo")
        assert response.status_code == 301, wrong
        assert response["Location"] == f"{story.url}?utm_source=zalo"


def test_renamed_title_keeps_old_links_working(client, story):
    old_url = story.url
    story.title = "Đà Nẵng đã nâng cấp đường ven biển"
    story.save_revision().publish()
    story.refresh_from_db()
    assert story.url == f"/thoi-su/da-nang-da-nang-cap-duong-ven-bien-{story.pk}.html"
    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == story.url


def test_same_titles_in_one_section_get_distinct_slugs(section):
    first = ArticlePageFactory(parent=section, title="Thời tiết hôm nay")
    second = ArticlePageFactory(parent=section, title="Thời tiết hôm nay")
    assert first.slug == "thoi-tiet-hom-nay"
    assert second.slug == "thoi-tiet-hom-nay-2"


def test_bad_article_urls_are_404_not_500(client, story, section):
    draft = ArticlePageFactory(parent=section, title="Bản nháp chưa duyệt", live=False)
    for url in (
        f"/thoi-su/{SEED_SLUG}-99999999.html",
        f"/thoi-su/{SEED_SLUG}-{draft.pk}.html",
        "/thoi-su/abc.html",
        "/thoi-su/" + "a" * 5000 + f"-{story.pk}x.html",
        "/thoi-su/9" * 40 + ".html",
        "/thoi-su/%ff%fe-1.html",
        "/khong-ton-tai/",
    ):
        assert client.get(url).status_code == 404, url


def test_overlong_slug_redirects_to_canonical(client, story):
    response = client.get("/thoi-su/" + "rat-dai-" * 400 + f"{story.pk}.html")
    assert response.status_code == 301
    assert response["Location"] == story.url


def test_article_page_shows_byline_dateline_lead_and_credits(client, section):
    reporter = PenNameFactory(name="V.A")
    reporter.staff_member.username = "vo.van.an"
    reporter.staff_member.save()
    photo = PhotoFactory(caption="Phó Chủ tịch UBND tỉnh phát biểu khai mạc hội nghị.")
    story = ArticlePageFactory(
        parent=section,
        title="Hội nghị tổng kết thông tin đối ngoại",
        sapo="Sáng nay 22.12, Phó Chủ tịch UBND tỉnh chủ trì hội nghị.",
        lead_prefix="(QNO)",
        pen_names=[reporter],
        body=[
            ("paragraph", RichText("<p>Đoạn một.</p>")),
            ("photo", {"image": photo, "caption": "", "credit": ""}),
            ("quote", {"text": "Thế giới biết nhiều về Quảng Nam.", "attribution": "Ông A"}),
        ],
        first_published_at=datetime(2021, 12, 22, 10, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )
    html = client.get(story.url).content.decode()
    assert '<html lang="vi">' in html
    assert ">V.A</a>" in html and "vo.van.an" not in html
    assert ">22/12/2021 10:01</time>" in html
    assert 'title="Thứ Tư, 22/12/2021, 10:01 (GMT+7)"' in html
    assert "(QNO) - Sáng nay 22.12, Phó Chủ tịch UBND tỉnh chủ trì hội nghị." in html
    figcaption = re.search(r"<figcaption>(.*?)</figcaption>", html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", figcaption).strip() == (
        "Phó Chủ tịch UBND tỉnh phát biểu khai mạc hội nghị. Ảnh: V.A"
    )
    assert 'alt="Phó Chủ tịch UBND tỉnh phát biểu khai mạc hội nghị."' in html
    assert "(0) Bình luận" in html
    assert "facebook.com/sharer/sharer.php?u=http%3A%2F%2Ftestserver%2Fthoi-su%2F" in html
    assert "sp.zalo.me/share?url=" in html and "Sao chép liên kết" in html
    assert "<blockquote>" in html


def test_photos_are_responsive_modern_formats(client, section):
    big = PhotoFactory(file=image_file(size=(1600, 1000)))
    story = ArticlePageFactory(parent=section, cover_image=big)
    html = client.get(story.url).content.decode()
    assert 'type="image/avif"' in html and 'type="image/webp"' in html
    assert re.search(r'srcset="[^"]+ 480w, [^"]+ 800w', html)


def test_related_stories_prefer_chosen_then_shared_topics(client, section, story):
    other_section = SectionPageFactory(parent=section.get_parent(), title="Kinh tế")
    same_topic = ArticlePageFactory(parent=other_section, title="Sâm Ngọc Linh", topics=["Sâm"])
    ArticlePageFactory(parent=section, title="Tin cùng chuyên mục")
    story.topics.add("Sâm")
    story.save_revision().publish()
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.related_stories()[0] == same_topic
    chosen = ArticlePageFactory(parent=section, title="Bài biên tập viên chọn")
    story.related_links.create(article=chosen)
    story.save_revision().publish()
    story.refresh_from_db()
    assert story.related_stories() == [chosen]
    chosen.unpublish()  # gone at once, though the choice itself is kept a while
    assert ArticlePage.objects.get(pk=story.pk).related_stories() == []


def test_update_time_is_shown_when_republished_later(client, story):
    ArticlePage.objects.filter(pk=story.pk).update(
        first_published_at=timezone.now() - timedelta(days=1)
    )
    html = client.get(story.url).content.decode()
    assert "Cập nhật" in html


def _archive(section, count: int) -> None:
    pen_name = PenNameFactory(name="LƯU TRỮ")
    photo = PhotoFactory()
    start = timezone.now() - timedelta(days=3650)
    bulk_add_stories(
        section,
        (
            StoryRow(
                title=f"Tin lưu trữ số {n} về Đà Nẵng",
                sapo="Sapo lưu trữ.",
                published_at=start + timedelta(minutes=n),
                blocks=paragraph("<p>Nội dung.</p>"),
                cover_id=photo.pk,
                pen_name_ids=[pen_name.pk],
            )
            for n in range(count)
        ),
    )


@pytest.mark.parametrize("archive_size", [10, 10_000])
def test_article_page_needs_at_most_15_queries(client, home, section, story, archive_size):
    _archive(section, archive_size)
    sub = SectionPageFactory(parent=section, title="Đối ngoại")
    _archive(sub, archive_size // 10)
    client.get(story.url)  # first view makes the photo renditions once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(story.url)
    assert response.status_code == 200
    assert "Mới nhất" in response.content.decode()
    assert len(queries) <= 15, "\n".join(q["sql"][:160] for q in queries)


def test_a_story_full_of_photos_shows_them_all_and_renders_again_without_their_renditions(
    client, section, settings
):
    """Ten photos in a body: every one shown with its sizes, and a second render (a page-cache
    miss after a publish elsewhere) neither reads nor rewrites their renditions."""
    from django.core.cache import caches

    from toasoan.core.changes import bump

    photos = [PhotoFactory(caption=f"Khoảnh khắc {n}") for n in range(10)]
    body = [("photo", {"image": photo}) for photo in photos]
    story = ArticlePageFactory(parent=section, title="Mười khoảnh khắc", body=body)
    first = client.get(story.url).content.decode()
    assert all(f"Khoảnh khắc {n}" in first for n in range(10))
    assert first.count("<picture>") >= 10 and "image/avif" in first

    writes = []
    renditions_cache = caches["renditions"]
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "PageCacheMiddleware" not in m]
    original = renditions_cache.set_many
    renditions_cache.set_many = lambda data, *a, **kw: writes.append(data) or original(data)
    try:
        bump()
        with CaptureQueriesContext(connection) as queries:
            again = client.get(story.url).content.decode()
    finally:
        renditions_cache.set_many = original
    assert again.count("<picture>") == first.count("<picture>")
    assert not [q for q in queries if "rendition" in q["sql"]], "renditions read again"
    assert writes == []


def test_a_story_under_a_password_is_not_shown_without_it(client, story):
    """A section closed to readers (Wagtail's privacy: a password) closes its stories at
    their public address too, as Wagtail's own page serving does."""
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=story.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="kin"
    )
    response = client.get(story.url)
    assert story.sapo not in response.content.decode()
    assert b'name="password"' in response.content


def test_a_story_opened_before_its_section_was_closed_is_closed_at_once(client, story):
    """The privacy check costs no query while the paper has no restriction; closing a
    section is a content change, so its stories close on the next request."""
    from wagtail.models import PageViewRestriction

    assert story.sapo in client.get(story.url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert list(story.get_view_restrictions()) == []
    assert not queries.captured_queries
    PageViewRestriction.objects.create(
        page=story.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="kin"
    )
    assert b'name="password"' in client.get(story.url).content


def test_renamed_section_shows_in_the_breadcrumb_once_published(client, section, story):
    assert ">Thời sự</a>" in client.get(story.url).content.decode()  # sections now kept
    section.title = "Thời sự – Chính trị"
    section.save_revision().publish()
    story = ArticlePage.objects.get(pk=story.pk)
    html = client.get(story.url).content.decode()
    assert ">Thời sự – Chính trị</a></li>" in html


def test_related_story_republished_shows_its_new_title(client, section, story):
    related = ArticlePageFactory(parent=section, title="Cảng Kỳ Hà mở rộng")
    story.related_links.create(article=related)
    story.save_revision().publish()
    story = ArticlePage.objects.get(pk=story.pk)
    assert "Cảng Kỳ Hà mở rộng" in client.get(story.url).content.decode()  # now kept
    related.title = "Cảng Kỳ Hà mở rộng giai đoạn hai"
    related.save_revision().publish()
    assert "Cảng Kỳ Hà mở rộng giai đoạn hai" in client.get(story.url).content.decode()


def test_story_page_follows_a_new_poll_an_approved_comment_and_an_unpublished_related_story(
    client, settings, section, story
):
    """What a story page keeps in the worker between content changes (its comments, its
    poll, its related stories) follows each change at once; here without the whole-page
    cache, which is emptied by the same changes."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "PageCacheMiddleware" not in m]
    related = ArticlePageFactory(parent=section, title="Cảng Kỳ Hà mở rộng")
    story.related_links.create(article=related)
    story.save_revision().publish()
    story = ArticlePage.objects.get(pk=story.pk)

    def page() -> tuple[str, str]:
        html = client.get(story.url).content.decode()
        return html, re.search(r'id="comments-title"[^>]*>([^<]*)<', html).group(1)

    html, comments = page()
    assert "Cảng Kỳ Hà mở rộng" in html and "(0)" in comments and "phố đi bộ" not in html
    poll = Poll(article=story, question="Bạn có ủng hộ phố đi bộ Bạch Đằng?")
    poll.choices.add(Choice(text="Ủng hộ"), Choice(text="Không ủng hộ"))
    poll.save()
    Comment.objects.create(
        article=story, name="Bạn đọc", email="a@x.vn", text="Hay quá", status=Status.APPROVED
    )
    related.unpublish()
    html, comments = page()
    assert "phố đi bộ Bạch Đằng" in html and "(1)" in comments and "Hay quá" in html
    assert "Cảng Kỳ Hà mở rộng" not in html


def test_a_story_body_is_read_once_and_follows_the_stories_it_links_to(client, settings, section):
    """A story's body (its blocks, photos and links) is kept in the worker between content
    changes: a second render reads no photo; a story it links to that gets a new address
    shows the new address in the body at once. Without the whole-page cache."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "PageCacheMiddleware" not in m]
    linked = ArticlePageFactory(parent=section, title="Cảng Kỳ Hà mở rộng")
    photo = PhotoFactory(caption="Bến cảng lúc bình minh")
    link = f'<a linktype="page" id="{linked.pk}">bài này</a>'
    body = [
        ("paragraph", RichText(f"<p>Xem thêm {link}.</p>")),
        ("photo", {"image": photo}),
    ]
    story = ArticlePageFactory(parent=section, title="Kinh tế biển", body=body)
    story.save_revision().publish()
    story = ArticlePage.objects.get(pk=story.pk)
    first = client.get(story.url).content.decode()
    assert f'href="{linked.url}"' in first and "Bến cảng lúc bình minh" in first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(story.url).content.decode() == first
    assert not [q for q in queries if q["sql"].startswith('SELECT "newsroom_photo"')], "photos read"

    linked.title = "Cảng Kỳ Hà mở rộng giai đoạn hai"
    linked.save_revision().publish()
    linked = ArticlePage.objects.get(pk=linked.pk)
    html = client.get(story.url).content.decode()
    in_body = html.split('class="story__body"')[1].split('class="story__footer"')[0]
    assert f'href="{linked.url}"' in in_body and "giai-doan-hai" in linked.url


def test_a_preview_shows_the_draft_body_not_the_published_one_kept(client, section, story):
    story.body = [("paragraph", RichText("<p>Bản đã xuất bản.</p>"))]
    story.save_revision().publish()
    story = ArticlePage.objects.get(pk=story.pk)
    assert "Bản đã xuất bản." in client.get(story.url).content.decode()
    story.body = [("paragraph", RichText("<p>Bản nháp đang sửa.</p>"))]
    preview = story.make_preview_request().render().content.decode()
    assert "Bản nháp đang sửa." in preview and "Bản đã xuất bản." not in preview


def test_a_story_id_beyond_any_page_id_is_not_found(client, story):
    assert client.get(f"/thoi-su/{SEED_SLUG}-99999999999.html").status_code == 404
