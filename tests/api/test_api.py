"""The public content API as a partner uses it: what it shows, what it never shows, filters,
cursor pages, conditional GET, CORS and rate limits."""

import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from tests.api.conftest import SECRET_TITLE, at, ids
from tests.factories import ArticlePageFactory, PhotoFactory, UserFactory
from toasoan.api.models import ApiClient
from toasoan.readership import counting

pytestmark = pytest.mark.django_db


# --- what partners see ----------------------------------------------------------------------
def test_story_list_is_newest_first_with_canonical_urls_and_sized_renditions(
    client, newsroom, settings
):
    response = client.get("/api/stories")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert ids(response) == [s.pk for s in newsroom.published]
    bridge = response.json()["items"][1]
    story = newsroom.published[1]
    assert bridge["url"] == f"http://testserver/thoi-su/giao-thong/{story.slug}-{story.pk}.html"
    assert bridge["url"].endswith(f"-{bridge['id']}.html")  # the stable id is in the URL
    assert bridge["api_url"] == f"http://testserver/api/stories/{story.pk}"
    assert bridge["section"]["title"] == "Giao thông"
    assert [b["name"] for b in bridge["bylines"]] == ["VĨNH AN", "MINH HẢI"]
    assert bridge["topics"] == [
        {"id": newsroom.du_lich.pk, "name": "Du lịch", "slug": "du-lich",
         "url": "http://testserver/chu-de/du-lich/"}
    ]  # fmt: skip
    assert bridge["published_display"] == "21/12/2021 08:00"
    assert bridge["first_published_at"] == "2021-12-21T08:00:00+07:00"
    assert bridge["lead"].startswith("(QNO) - ")
    cover = bridge["cover"]
    assert cover["caption"] == "Cầu Cửa Đại nhìn từ trên cao." and cover["credit"] == "MINH HẢI"
    formats = {(r["width"], r["height"], r["format"]) for r in cover["renditions"]}
    assert formats == {
        (320, 200, "webp"),
        (320, 200, "jpeg"),
        (640, 400, "webp"),
        (640, 400, "jpeg"),
    }
    for rendition in cover["renditions"]:
        assert rendition["url"].startswith("http://testserver/media/images/")
        assert rendition["mime_type"] == f"image/{rendition['format']}"
        stored = rendition["url"].removeprefix("http://testserver" + settings.MEDIA_URL)
        assert default_storage.exists(stored)


def test_story_detail_gives_clean_body_with_absolute_links_and_image_sizes(client, newsroom):
    story = newsroom.published[1]

    data = client.get(f"/api/stories/{story.pk}").json()

    body = data["body_html"]
    assert "<b>1.481 m</b>" in body
    assert '<a href="http://testserver/thoi-su/">Thời sự</a>' in body
    image = re.search(r'<img src="([^"]+)" width="(\d+)" height="(\d+)"', body)
    assert image and image.group(1).startswith("http://testserver/media/images/")
    assert (
        "<figcaption>Cầu Cửa Đại nhìn từ trên cao. <span>Ảnh: MINH HẢI</span></figcaption>" in body
    )
    assert "<blockquote><p>Cầu mở ra cơ hội mới.</p></blockquote>" in body
    assert "class=" not in body and "loading=" not in body  # partners get plain markup
    assert {r["width"] for r in data["cover"]["renditions"]} == {320, 640, 1200}


def test_sections_topics_and_pen_names(client, newsroom):
    sections = client.get("/api/sections").json()["items"]
    by_slug = {s["slug"]: s for s in sections}
    assert list(by_slug) == ["thoi-su", "giao-thong", "kinh-te"]  # menu order; no private one
    assert by_slug["giao-thong"]["parent_id"] == newsroom.thoi_su.pk
    assert by_slug["giao-thong"]["level"] == 2 and by_slug["thoi-su"]["level"] == 1
    assert by_slug["kinh-te"]["url"] == "http://testserver/kinh-te/"

    topics = client.get("/api/topics").json()["items"]
    assert [t["name"] for t in topics] == ["Đà Nẵng", "Du lịch"]  # not the draft's topic

    pen_names = client.get("/api/pen-names").json()["items"]
    assert [p["name"] for p in pen_names] == ["MINH HẢI", "VĨNH AN"]
    assert set(pen_names[1]) == {"id", "name", "slug", "url", "bio"}
    assert pen_names[1]["url"] == "http://testserver/tac-gia/vinh-an/"


def test_never_drafts_scheduled_unpublished_expired_or_private_stories(client, newsroom):
    everything = client.get("/api/stories?limit=100")
    assert ids(everything) == [s.pk for s in newsroom.published]
    for why, story in newsroom.hidden.items():
        for path in (f"/api/stories/{story.pk}", f"/api/stories/{story.pk}/ninjs"):
            response = client.get(path)
            assert response.status_code == 404, (why, path)
            assert response.json()["code"] == "not_found"
    searched = client.get("/api/search", {"q": "tuyệt mật"}).json()
    assert searched["items"] == [] and searched["total"] == 0
    text = b"".join(
        client.get(path).content
        for path in ("/api/stories?limit=100", "/api/sections", "/api/topics", "/api/pen-names")
    ).decode()
    assert SECRET_TITLE not in text
    assert "Vụ án chưa công bố" not in text and "BÚT DANH CHƯA DÙNG" not in text
    # A published story's unapproved draft stays in the newsroom.
    assert "Tiêu đề nháp" not in text
    assert "Hội nghị thông tin đối ngoại năm 2021" in text


def test_no_staff_accounts_real_names_emails_or_internal_notes(client, newsroom):
    ApiClient.objects.create(name="Ứng dụng báo", notes="Ghi chú nội bộ: hợp đồng số 12")
    paths = ["/api/stories", "/api/sections", "/api/topics", "/api/pen-names", "/api/openapi.json"]
    paths += [f"/api/stories/{s.pk}" for s in newsroom.published]
    paths += [f"/api/stories/{s.pk}/ninjs" for s in newsroom.published]
    text = b"".join(client.get(path).content for path in paths).decode()
    for secret in (
        "phongvien-that",
        "phongvien.that@toasoan.test",
        "Trần Văn Thật Danh",  # an outside contributor's real name
        "Ghi chú nội bộ",
        "outside_contributor",
        "staff_member",
        "draft_title",
        "edNote",
    ):
        assert secret not in text, secret


def test_the_api_index_points_to_docs_and_endpoints(client, newsroom):
    data = client.get("/api/").json()
    assert data["docs"] == "http://testserver/api/docs"
    assert data["endpoints"]["stories"] == "http://testserver/api/stories"


# --- filters ------------------------------------------------------------------------------
def test_filters_by_section_topic_pen_name_kind_and_edition(client, newsroom):
    story = newsroom.published
    thoi_su = ids(client.get("/api/stories", {"section": "thoi-su"}))
    assert thoi_su == [story[1].pk, story[2].pk, story[3].pk]  # subsection included
    assert ids(client.get("/api/stories", {"section": newsroom.giao_thong.pk})) == [story[1].pk]
    assert ids(client.get("/api/stories", {"topic": "da-nang"})) == [story[2].pk]
    assert ids(client.get("/api/stories", {"topic": newsroom.du_lich.pk})) == [
        story[1].pk,
        story[2].pk,
    ]
    assert ids(client.get("/api/stories", {"pen_name": "minh-hai"})) == [story[1].pk]
    assert ids(client.get("/api/stories", {"kind": "bai"})) == [story[0].pk]
    assert len(ids(client.get("/api/stories", {"edition": "vi"}))) == 4


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "20/12/2021", "date_to": "21/12/2021"},
        {"date_from": "2021-12-20", "date_to": "2021-12-21"},
        {"date_from": "2021-12-20T00:00:00+07:00", "date_to": "2021-12-21T23:59:59+07:00"},
    ],
)
def test_date_range_in_vietnamese_or_iso_form(client, newsroom, params):
    story = newsroom.published
    assert ids(client.get("/api/stories", params)) == [story[1].pk, story[2].pk]


@pytest.mark.parametrize(
    "params, name, message",
    [
        ({"section": "khong-co"}, "section", "không có chuyên mục này"),
        ({"topic": "khong-co"}, "topic", "không có chủ đề này"),
        ({"edition": "fr"}, "edition", "không có ấn bản này (có: vi)"),
        ({"date_from": "31/02/2021"}, "date_from", "dd/mm/yyyy"),
        ({"date_from": "22/12/2021", "date_to": "01/12/2021"}, "date_to", "phải sau date_from"),
        ({"limit": "0"}, "limit", ""),
        ({"limit": "nhiều"}, "limit", ""),
        ({"kind": "quang-cao"}, "kind", ""),
        ({"cursor": "khong-phai-con-tro"}, "cursor", "con trỏ trang"),
    ],
)
def test_bad_parameters_get_a_clear_400_in_both_languages(client, newsroom, params, name, message):
    response = client.get("/api/stories", params)

    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid_parameter"
    assert [field["name"] for field in error["fields"]] == [name]
    assert message in error["vi"]
    assert error["en"] and error["detail"] == f"{error['vi']} / {error['en']}"


# --- cursor pages ------------------------------------------------------------------------------
def test_cursor_pages_stay_stable_when_stories_are_published_meanwhile(client, newsroom):
    twin = ArticlePageFactory(
        parent=newsroom.thoi_su, title="Bài cùng giờ đăng", first_published_at=at(21, 8)
    )  # the same second as published[1]: the id breaks the tie
    expected = (
        [newsroom.published[0].pk]
        + sorted([twin.pk, newsroom.published[1].pk], reverse=True)
        + [s.pk for s in newsroom.published[2:]]
    )

    first = client.get("/api/stories", {"limit": 2}).json()
    assert first["next"].startswith("http://testserver/api/stories?")
    ArticlePageFactory(parent=newsroom.thoi_su, title="Tin mới vừa lên trang")
    seen = [item["id"] for item in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = client.get("/api/stories", {"limit": 2, "cursor": cursor}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]

    assert seen == expected  # nothing repeated, nothing skipped, the newcomer not mixed in
    newest = client.get("/api/stories", {"limit": 1}).json()["items"][0]
    assert newest["title"] == "Tin mới vừa lên trang"


def test_next_link_keeps_the_filters(client, newsroom):
    first = client.get("/api/stories", {"section": "thoi-su", "limit": 1}).json()
    second = client.get(first["next"].removeprefix("http://testserver")).json()
    assert [i["id"] for i in second["items"]] == [newsroom.published[2].pk]


# --- conditional GET ------------------------------------------------------------------------------
def test_etag_and_304_when_nothing_changed(client, newsroom):
    first = client.get("/api/stories")
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert "max-age=60" in first["Cache-Control"]

    again = client.get("/api/stories", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag

    ArticlePageFactory(parent=newsroom.thoi_su, title="Tin nóng vừa đăng")
    changed = client.get("/api/stories", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_client_taking_gzip_gets_a_weak_etag_that_still_answers_304(client, newsroom):
    """What docs/api.md promises: the compressed answer's ETag is W/"…", sent back as given
    (or in its strong form) it still saves the download."""
    gzip = {"HTTP_ACCEPT_ENCODING": "gzip"}
    first = client.get("/api/stories", **gzip)
    assert first["Content-Encoding"] == "gzip"
    weak = first["ETag"]
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', weak)
    for sent in (weak, weak.removeprefix("W/")):
        again = client.get("/api/stories", HTTP_IF_NONE_MATCH=sent, **gzip)
        assert again.status_code == 304 and again.content == b""


def test_errors_are_not_cached(client, newsroom):
    response = client.get("/api/stories/999999")
    assert response.status_code == 404 and response["Cache-Control"] == "no-store"
    assert not response.has_header("ETag")


# --- CORS -------------------------------------------------------------------------------------
def test_any_origin_may_read_by_default(client, newsroom):
    response = client.get("/api/stories", HTTP_ORIGIN="https://doitac.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]

    preflight = client.options(
        "/api/stories",
        HTTP_ORIGIN="https://doitac.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="x-api-key, if-none-match",
    )
    assert preflight.status_code == 200
    assert "x-api-key" in preflight["Access-Control-Allow-Headers"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]

    site = client.get("/", HTTP_ORIGIN="https://doitac.example")
    assert not site.has_header("Access-Control-Allow-Origin")  # only the API is shared


def test_cors_limited_to_the_configured_origins(client, newsroom, settings):
    settings.CORS_ALLOW_ALL_ORIGINS = False
    settings.CORS_ALLOWED_ORIGINS = ["https://app.baoquangnam.example"]

    allowed = client.get("/api/sections", HTTP_ORIGIN="https://app.baoquangnam.example")
    other = client.get("/api/sections", HTTP_ORIGIN="https://la.example")

    assert allowed["Access-Control-Allow-Origin"] == "https://app.baoquangnam.example"
    assert not other.has_header("Access-Control-Allow-Origin")


# --- rate limits ------------------------------------------------------------------------------
@pytest.mark.usefixtures("one_rate_window")
def test_anonymous_clients_are_limited_per_address_with_a_clear_429(client, newsroom, settings):
    settings.API_ANON_RATE = 3
    remaining = [
        client.get("/api/sections", REMOTE_ADDR="203.0.113.7")["X-RateLimit-Remaining"]
        for _ in range(3)
    ]
    assert remaining == ["2", "1", "0"]

    refused = client.get("/api/sections", REMOTE_ADDR="203.0.113.7")

    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 60
    error = refused.json()
    assert error["code"] == "rate_limited" and error["retry_after"] == wait
    assert f"Vui lòng thử lại sau {wait} giây" in error["vi"]
    assert f"try again in {wait} seconds" in error["en"]
    assert client.get("/api/sections", REMOTE_ADDR="198.51.100.2").status_code == 200


@pytest.mark.usefixtures("one_rate_window")
def test_a_partner_key_has_its_own_limit(client, newsroom, settings):
    settings.API_ANON_RATE = 1
    partner = ApiClient.objects.create(name="Ứng dụng Báo Quảng Nam", requests_per_minute=5)
    for _ in range(4):
        response = client.get("/api/sections", HTTP_X_API_KEY=partner.key)
        assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "5"
    assert client.get("/api/sections", {"api_key": partner.key}).status_code == 200
    assert client.get("/api/sections", HTTP_X_API_KEY=partner.key).status_code == 429


def test_unknown_or_disabled_keys_are_refused_not_ignored(client, newsroom):
    disabled = ApiClient.objects.create(name="Đối tác cũ", is_active=False)
    # A key with non-ASCII characters arrives as WSGI gives it (UTF-8 bytes read as Latin-1):
    # unreadable is unknown, never anonymous.
    unreadable = "khóa-bí-mật\u00a0".encode().decode("latin-1")
    for key in ("khoa-bịa-ra-" + "x" * 20, disabled.key, unreadable):
        response = client.get("/api/stories", HTTP_X_API_KEY=key)
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_api_key"
        assert "Khoá API không đúng" in response.json()["vi"]


def test_a_changed_key_stops_working_at_once(client, newsroom):
    partner = ApiClient.objects.create(name="Cổng thông tin tỉnh")
    old = partner.key
    assert client.get("/api/sections", HTTP_X_API_KEY=old).status_code == 200
    partner.key = "khoa-moi-" + "y" * 30
    partner.save()
    assert client.get("/api/sections", HTTP_X_API_KEY=old).status_code == 401
    assert client.get("/api/sections", HTTP_X_API_KEY=partner.key).status_code == 200


def test_administrators_manage_keys_in_the_admin(client, newsroom, settings):
    settings.TWO_FACTOR_REQUIRED = False  # this test is about the key screen, not sign-in
    ApiClient.objects.create(name="Ứng dụng di động", contact_email="app@doitac.example")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    listing = client.get("/admin/snippets/api/apiclient/")
    added = client.post(
        "/admin/snippets/api/apiclient/add/",
        {"name": "Báo điện tử bạn", "key": "ngan", "requests_per_minute": "100"},
    )

    assert listing.status_code == 200 and "Ứng dụng di động" in listing.content.decode()
    assert added.status_code == 200  # the form again, with the message
    assert "ít nhất 24 ký tự" in added.content.decode()
    assert not ApiClient.objects.filter(name="Báo điện tử bạn").exists()


# --- search and most read -------------------------------------------------------------------------
def test_search_folds_vietnamese_and_returns_story_summaries(client, newsroom):
    data = client.get("/api/search", {"q": "da nang"}).json()
    assert [item["id"] for item in data["items"]] == [newsroom.published[2].pk]
    assert data["total"] == 1 and data["query"] == "da nang"
    assert data["items"][0]["section"]["slug"] == "thoi-su"


def read(story, reader: int) -> None:
    """Reader number `reader` (their own address) whose browser sends the view beacon."""
    Client().post(
        f"/luot-doc/{story.pk}/",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Chrome/130 Mobile Safari/537.36",
        REMOTE_ADDR=f"198.51.100.{reader}",
    )


def test_most_read_ranks_by_views_in_the_window(client, newsroom):
    first, second = newsroom.published[2], newsroom.published[0]
    for reader in (1, 2, 3):
        read(first, reader)
    read(second, 1)
    read(newsroom.hidden["unpublished"], 1)  # never counted, never listed
    counting.flush()  # the hourly rollup the rail, the dashboard and the API all read

    data = client.get("/api/most-read", {"window": "7d"}).json()

    assert [(i["story"]["id"], i["views"]) for i in data["items"]] == [
        (first.pk, 3),
        (second.pk, 1),
    ]
    assert client.get("/api/most-read", {"window": "1y"}).status_code == 400


def test_story_without_cover_or_bylines_still_serialises(client, newsroom):
    bare = ArticlePageFactory(parent=newsroom.kinh_te, title="Tin vắn không ảnh", body=[])
    data = client.get(f"/api/stories/{bare.pk}").json()
    assert data["cover"] is None and data["bylines"] == [] and data["body_html"] == ""


def test_a_live_story_whose_photo_was_replaced_keeps_working(client, newsroom):
    story = newsroom.published[1]
    story.cover_image = PhotoFactory(caption="Ảnh mới")
    story.save_revision().publish()
    cover = client.get(f"/api/stories/{story.pk}").json()["cover"]
    assert cover["caption"] == "Ảnh mới"


def test_timestamps_are_in_the_paper_time_zone(client, newsroom):
    story = ArticlePageFactory(
        parent=newsroom.thoi_su, first_published_at=timezone.now() - timedelta(minutes=5)
    )
    item = client.get(f"/api/stories/{story.pk}").json()
    assert item["first_published_at"].endswith("+07:00")


def test_a_page_of_stories_costs_the_same_queries_at_any_size(
    client, newsroom, django_assert_max_num_queries
):
    for _ in range(30):
        ArticlePageFactory(parent=newsroom.kinh_te, cover_image=newsroom.published[1].cover_image)
    client.get("/api/stories")  # caches the site map; makes the cover's renditions once
    # stories with their cover photos, renditions, bylines, topics
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/stories", {"limit": 30}).json()["items"]) == 30
    with django_assert_max_num_queries(4):
        client.get("/api/stories", {"limit": 5, "section": "kinh-te"})


def test_a_section_restricted_later_leaves_the_api_at_once(client, newsroom):
    from wagtail.models import PageViewRestriction

    assert newsroom.published[0].pk in ids(client.get("/api/stories"))  # cached site map
    restriction = PageViewRestriction.objects.create(
        page=newsroom.kinh_te, restriction_type=PageViewRestriction.LOGIN
    )
    assert newsroom.published[0].pk not in ids(client.get("/api/stories"))
    assert client.get(f"/api/stories/{newsroom.published[0].pk}").status_code == 404
    restriction.delete()
    assert newsroom.published[0].pk in ids(client.get("/api/stories"))
