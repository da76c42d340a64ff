"""Reader search: Vietnamese folding, exact-first ranking, phrases, filters, safety, freshness.

These run on SQLite by default and on PostgreSQL when DATABASE_URL points at it (CI runs both).
"""

import re
import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import ArticlePageFactory, PenNameFactory, SectionPageFactory
from toasoan.newsroom.bulk import StoryRow, bulk_add_stories, paragraph
from toasoan.newsroom.models import ArticlePage
from toasoan.search.indexing import index_story, rebuild

pytestmark = pytest.mark.django_db

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def titles(client, **params) -> list[str]:
    response = client.get("/search/", params)
    assert response.status_code == 200
    html = response.content.decode()
    found = re.findall(r'<h2 class="card__title"><a href="[^"]+">(.*?)</a></h2>', html)
    return [re.sub(r"</?mark>", "", t) for t in found]


@pytest.fixture
def stories(section):
    return {
        "danang": ArticlePageFactory(
            parent=section,
            title="Đà Nẵng và Quảng Nam liên kết phát triển du lịch",
            sapo="Hai địa phương ký kết chương trình hợp tác.",
        ),
        "doingoai": ArticlePageFactory(
            parent=section,
            title="Hoạt động thông tin đối ngoại có vai trò quan trọng",
            sapo="Hội nghị tổng kết công tác thông tin đối ngoại năm 2021.",
        ),
        "hoian": ArticlePageFactory(
            parent=section,
            title="Phố cổ Hội An đón khách trở lại",
            sapo="Du khách quốc tế quay lại Hội An sau mùa mưa.",
        ),
        "duong": ArticlePageFactory(
            parent=section,
            title="Tỉnh đầu tư nâng cấp đường ven biển",
            sapo="Tuyến đường mới rút ngắn thời gian đi lại.",
        ),
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("quang nam", "danang"),
        ("da nang", "danang"),
        ("DA NANG", "danang"),
        ("doi ngoai", "doingoai"),
        ("Hoi An", "hoian"),
        ("hội an", "hoian"),
        ("duong ven bien", "duong"),
    ],
)
def test_typing_without_diacritics_finds_accented_stories(client, stories, typed, expected):
    assert stories[expected].title in titles(client, q=typed)


def test_decomposed_nfd_queries_find_the_same_stories(client, stories):
    for typed in ("Đà Nẵng", "đối ngoại", "Hội An"):
        nfd = unicodedata.normalize("NFD", typed)
        assert nfd != typed
        found = titles(client, q=nfd)
        assert found and found == titles(client, q=typed), typed


def test_exact_accented_words_rank_first(client, section):
    exact = ArticlePageFactory(
        parent=section,
        title="Đà Nẵng khai trương tuyến phố đi bộ",
        sapo="Thành phố mở thêm không gian cho du khách.",
        first_published_at=timezone.now() - timedelta(days=3),
    )
    folded_only = ArticlePageFactory(
        parent=section,
        title="Huyện đã nâng cấp đường, đã nâng chất lượng trường học",
        sapo="Xã đã nâng mức hỗ trợ; người dân đã nâng cao thu nhập.",
    )
    assert titles(client, q="đà nẵng") == [exact.title, folded_only.title]
    assert titles(client, q="đã nâng")[0] == folded_only.title
    # Without diacritics both are equally good matches; both are found.
    assert set(titles(client, q="da nang")) == {exact.title, folded_only.title}


def test_quoted_phrase_must_appear_together(client, section):
    together = ArticlePageFactory(parent=section, title="Thông tin đối ngoại năm 2021")
    apart = ArticlePageFactory(parent=section, title="Đối thoại về thông tin ngoại giao")
    assert set(titles(client, q="thong tin doi")) >= {together.title}
    assert titles(client, q='"thông tin đối ngoại"') == [together.title]
    assert titles(client, q="“thong tin doi ngoai”") == [together.title]
    assert apart.title in titles(client, q="thong tin ngoai")


def test_results_show_highlighted_title_and_snippet(client, stories):
    html = client.get("/search/", {"q": "hoi an"}).content.decode()
    assert "Phố cổ <mark>Hội An</mark> đón khách" in html
    assert "quay lại <mark>Hội An</mark> sau mùa mưa" in html
    assert '<meta name="robots" content="noindex, follow">' in html
    assert 'value="hoi an"' in html  # the query stays in the box


def test_a_result_card_follows_its_story_when_it_moves_or_changes_cover(client, home, section):
    """Cards are kept between searches: a moved story links to its new address, and a new
    cover shows at once."""
    from tests.factories import PhotoFactory

    other = SectionPageFactory(parent=home, title="Du lịch", slug="du-lich")
    story = ArticlePageFactory(parent=section, title="Cù Lao Chàm mùa biển lặng")
    html = client.get("/search/", {"q": "cu lao cham"}).content.decode()
    assert f'href="{story.url}"' in html
    assert "card__media" not in html
    story.move(other, pos="last-child")
    story.refresh_from_db()
    story.cover_image = PhotoFactory()
    story.save_revision().publish()
    html = client.get("/search/", {"q": "cu lao cham"}).content.decode()
    assert f'<a href="{story.url}">' in html and "/du-lich/" in story.url
    assert "card__media" in html and "<picture" in html


def test_accented_query_highlights_the_exact_words(client, section):
    ArticlePageFactory(
        parent=section,
        title="Đa dạng sản phẩm du lịch Đà Nẵng",
        sapo="Nhiều điểm đến đã nâng cấp; Đà Nẵng đón khách.",
    )
    html = client.get("/search/", {"q": "đà nẵng"}).content.decode()
    assert "Đa dạng sản phẩm du lịch <mark>Đà Nẵng</mark>" in html
    assert "đã nâng cấp; <mark>Đà Nẵng</mark> đón khách" in html
    html = client.get("/search/", {"q": "da nang"}).content.decode()
    assert "<mark>đã nâng</mark> cấp; <mark>Đà Nẵng</mark>" in html


def _snippet_of(client, query: str) -> str:
    html = client.get("/search/", {"q": query}).content.decode()
    return re.findall(r'<p class="card__sapo">(.*?)</p>', html, re.S)[0]


def _long_body(*paragraphs: str):
    from wagtail.rich_text import RichText

    return [("paragraph", RichText(f"<p>{p}</p>")) for p in paragraphs]


FILLER = "Người dân trong xã chăm lo mùa màng, đường sá và trường lớp cho con em. " * 40


def test_the_snippet_shows_the_searched_words_deep_in_a_long_story(client, section):
    """The words a reader searched for, found only far into a long story (past the start
    the snippet is first read from), are shown in the snippet, highlighted."""
    ArticlePageFactory(
        parent=section,
        title="Tổng kết một năm làm nông nghiệp hữu cơ",
        sapo="Nhiều hộ chuyển đổi cây trồng.",
        body=_long_body(
            FILLER, FILLER, FILLER, "Cây Sâm Ngọc Linh được trồng thử dưới tán rừng già.", FILLER
        ),
    )
    snippet = _snippet_of(client, "sam ngoc linh")
    assert "Cây <mark>Sâm Ngọc Linh</mark> được trồng thử" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")


def test_the_snippet_shows_where_the_searched_words_are_densest(client, section):
    """Words far into the body, next to each other, win over one of them at the start; the
    marks are exact words (punctuation and other words around them are left unmarked)."""
    ArticlePageFactory(
        parent=section,
        title="Mùa du lịch biển",
        sapo="Hội nghị bàn về mùa du lịch.",
        body=_long_body(FILLER, "Tại (Hội An), khách đông; du lịch Hội An, 2024: tăng.", FILLER),
    )
    snippet = _snippet_of(client, "hoi an du lich")
    assert "Tại (<mark>Hội An</mark>), khách đông; <mark>du lịch Hội An</mark>, 2024" in snippet
    assert snippet.startswith("… ")
    # Typed with marks: only the exact words (not "hội" of "Hội nghị" in the sapo).
    snippet = _snippet_of(client, "Hội An")
    assert "<mark>Hội An</mark>" in snippet and "<mark>Hội</mark> nghị" not in snippet


def test_the_filters_show_what_was_typed_and_follow_new_sections(client, home, section):
    """The filters are kept between searches, yet each page shows its own choices, its own
    errors and every section published since."""

    def page(**params) -> str:
        return client.get("/search/", {"q": "xyzzy", **params}).content.decode()

    option = f'<option value="{section.pk}">Thời sự</option>'
    assert option in page()
    assert f'<option value="{section.pk}" selected>Thời sự</option>' in page(section=section.pk)
    assert option in page()  # not the last search's choice
    wrong = page(date_from="32/13/2020")
    assert 'name="date_from" value="32/13/2020"' in wrong and 'aria-invalid="true"' in wrong
    assert "aria-invalid" not in page(date_from="01/02/2020")
    assert 'name="date_from" value="01/02/2020"' in page(date_from="01/02/2020")
    other = SectionPageFactory(parent=home, title="Kinh tế", slug="kinh-te")
    assert f'<option value="{other.pk}">Kinh tế</option>' in page()


def test_a_search_reads_its_form_and_edition_from_memory(client, section):
    """Past the first search, a page with no results asks the database nothing for its
    frame: not the sections of the filter, nor the edition's language."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/search/", {"q": "xyzzy"})
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/", {"q": "qwerty"}).status_code == 200
    sql = [q["sql"] for q in queries]
    assert not [q for q in sql if "wagtailcore_locale" in q or "sectionpage" in q], sql


def test_section_filter_includes_subsections(client, home, section):
    other = SectionPageFactory(parent=home, title="Kinh tế", slug="kinh-te")
    sub = SectionPageFactory(parent=other, title="Nông nghiệp", slug="nong-nghiep")
    in_section = ArticlePageFactory(parent=section, title="Mùa lúa Quảng Nam")
    in_sub = ArticlePageFactory(parent=sub, title="Giá lúa Quảng Nam tăng")
    assert set(titles(client, q="lua")) == {in_section.title, in_sub.title}
    assert titles(client, q="lua", section=other.pk) == [in_sub.title]
    assert titles(client, q="lua", section=sub.pk) == [in_sub.title]
    html = client.get("/search/", {"q": "lua", "section": "999999"}).content.decode()
    assert "Chuyên mục không tồn tại" in html
    assert set(titles(client, q="lua", section="999999")) == {in_section.title, in_sub.title}


def published_on(section, title, moment):
    """A story first published at `moment` (the factory back-dates it after publishing, so
    it is indexed again, as publishing at that moment would have done)."""
    story = ArticlePageFactory(parent=section, title=title, first_published_at=moment)
    index_story(ArticlePage.objects.get(pk=story.pk))
    return story


def test_date_range_is_day_first_and_inclusive(client, section):
    def at(day, month, year, hour=10):
        return datetime(year, month, day, hour, tzinfo=HCM)

    early = published_on(section, "Bão số 9 đổ bộ", at(5, 6, 2021))
    late = published_on(section, "Khắc phục hậu quả bão số 9", at(6, 5, 2021, 23))
    assert titles(client, q="bao", date_from="01/06/2021") == [early.title]
    assert titles(client, q="bao", date_to="06/05/2021") == [late.title]  # 23:00 that day
    assert titles(client, q="bao", date_from="06/05/2021", date_to="05/06/2021", sort="newest") == [
        early.title,
        late.title,
    ]
    html = client.get("/search/", {"q": "bao", "date_from": "2021-06-01"}).content.decode()
    assert "Nhập ngày theo dạng dd/mm/yyyy" in html
    assert len(titles(client, q="bao", date_from="2021-06-01")) == 2
    html = client.get(
        "/search/", {"q": "bao", "date_from": "05/06/2021", "date_to": "01/01/2021"}
    ).content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu" in html


def test_sort_newest(client, section):
    old = ArticlePageFactory(
        parent=section,
        title="Lễ hội Hội An Hội An Hội An",
        first_published_at=timezone.now() - timedelta(days=30),
    )
    new = ArticlePageFactory(parent=section, title="Đêm rằm phố Hội An")
    assert titles(client, q="hoi an", sort="newest") == [new.title, old.title]


def test_pagination_keeps_the_query_and_filters(client, settings, section):
    settings.TOASOAN = {**settings.TOASOAN, "PAGE_SIZE": 2}
    for n in range(5):
        ArticlePageFactory(parent=section, title=f"Tin Tam Kỳ số {n}")
    html = client.get("/search/", {"q": "tam ky", "sort": "newest"}).content.decode()
    assert "5 kết quả" in html and "Trang 1/3" in html
    assert 'href="?q=tam+ky&amp;sort=newest&amp;page=2"' in html
    assert titles(client, q="tam ky", sort="newest", page="3") == ["Tin Tam Kỳ số 4"]
    for bad in ("-1", "0", "abc", "99", "9" * 40):
        assert client.get("/search/", {"q": "tam ky", "page": bad}).status_code == 200, bad


HOSTILE = [
    "",
    " ",
    "a" * 10_000,
    "!!! ??? ... ;;; ---",
    "\"'",
    '"',
    "“",
    "' OR 1=1; DROP TABLE wagtailcore_page; --",
    "<script>alert('x')</script>",
    "NEAR(a b) AND OR NOT * ^ : {title}",
    "x\x00y\x07z",
    "😀 ☃ 中文 العربية",
    "a&b | c <-> d !e :*",
    " ".join(["từ"] * 500),
]


@pytest.mark.parametrize("typed", HOSTILE)
def test_hostile_queries_get_a_friendly_page(client, stories, typed):
    response = client.get("/search/", {"q": typed, "page": "-1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "Tìm kiếm" in html


def test_invalid_utf8_and_odd_parameters_never_fail(client, stories):
    for url in (
        "/search/?q=%ff%fe%fd",
        "/search/?q=%C3%28",
        "/search/?q=ha%00noi",
        "/search/?q=hoi+an&q=da+nang",
        "/search/?q[]=x&section[]=1",
        "/search/?q=hoi+an&section=abc&date_from=99/99/9999&date_to=%ff&sort=drop",
        "/search/?page=%ff",
    ):
        assert client.get(url).status_code == 200, url
    html = client.get("/search/?q=" + "x" * 10_000).content.decode()
    assert "chỉ dùng 200 ký tự đầu" in html


def test_drafts_scheduled_and_unpublished_never_appear(client, section):
    ArticlePageFactory(parent=section, title="Bản nháp về Hội An", live=False)
    scheduled = ArticlePageFactory(parent=section, title="Bài hẹn giờ về Hội An", live=False)
    scheduled.go_live_at = timezone.now() + timedelta(days=1)
    scheduled.save_revision().publish()
    scheduled.refresh_from_db()
    assert not scheduled.live and scheduled.go_live_at
    live = ArticlePageFactory(parent=section, title="Bài đã đăng về Hội An")
    assert titles(client, q="hoi an") == [live.title]

    live.unpublish()
    assert titles(client, q="hoi an") == []
    live.save_revision().publish()
    assert titles(client, q="hoi an") == [live.title]


def test_published_story_is_found_at_once_and_edits_follow(client, section):
    assert titles(client, q="thuy dien") == []
    story = ArticlePageFactory(parent=section, title="Thủy điện xả lũ")
    assert titles(client, q="thuy dien") == [story.title]
    story.title = "Hồ chứa xả lũ điều tiết"
    story.save_revision().publish()
    assert titles(client, q="thuy dien") == []
    assert titles(client, q="ho chua") == ["Hồ chứa xả lũ điều tiết"]
    story.delete()
    assert titles(client, q="ho chua") == []


@pytest.mark.usefixtures("one_rate_window")
def test_searches_are_rate_limited_per_client(client, settings, stories):
    settings.SEARCH_RATE_LIMIT = (3, 60)
    for _ in range(3):
        assert client.get("/search/", {"q": "hoi an"}).status_code == 200
    response = client.get("/search/", {"q": "hoi an"})
    assert response.status_code == 429
    assert "quá nhanh" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    other = client.get("/search/", {"q": "hoi an"}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


def test_bulk_loaded_stories_are_found_after_a_rebuild(client, section):
    pen_name = PenNameFactory(name="KHO LƯU TRỮ")
    start = timezone.now() - timedelta(days=400)
    bulk_add_stories(
        section,
        [
            StoryRow(
                title=f"Lưu trữ Núi Thành số {n}",
                sapo="Sapo.",
                published_at=start + timedelta(days=n),
                blocks=paragraph("<p>Khu kinh tế mở Chu Lai.</p>"),
                pen_name_ids=[pen_name.pk],
            )
            for n in range(3)
        ],
    )
    assert titles(client, q="nui thanh") == []
    assert rebuild() == 3
    assert len(titles(client, q="chu lai")) == 3


def test_wagtail_backend_engine_serves_search_when_configured(client, settings, home, section):
    """SEARCH_ENGINE=wagtail (how OpenSearch is used) keeps the gate, filters and paging."""
    settings.SEARCH_ENGINE = "wagtail"
    other = SectionPageFactory(parent=home, title="Du lịch", slug="du-lich")
    here = ArticlePageFactory(parent=section, title="Hội An mùa lễ hội")
    there = ArticlePageFactory(parent=other, title="Hội An đón khách")
    ArticlePageFactory(parent=section, title="Bản nháp Hội An", live=False)
    assert set(titles(client, q="Hội An")) == {here.title, there.title}
    assert titles(client, q="Hội An", section=other.pk) == [there.title]
    assert titles(client, q='"Hội An" khách') == [there.title]
    assert titles(client, q="Hội An", sort="newest") == [
        here.title,
        there.title,
    ]  # factory: later = older


def test_admin_search_backend_folds_on_postgresql(section):
    """Wagtail's own index (the admin's search) uses vi_unaccent on PostgreSQL."""
    from django.db import connection
    from wagtail.search.backends import get_search_backend

    from toasoan.newsroom.models import ArticlePage

    story = ArticlePageFactory(parent=section, title="Đà Nẵng mở rộng sân bay")
    backend = get_search_backend()
    if connection.vendor != "postgresql":
        pytest.skip("SQLite uses Wagtail's own FTS5 backend for the admin")
    assert backend.config == backend.autocomplete_config == "vi_unaccent"
    assert list(backend.search("da nang", ArticlePage)) == [story]
    assert list(backend.autocomplete("da nan", ArticlePage)) == [story]


def test_section_filter_follows_a_moved_story(client, home, section):
    other = SectionPageFactory(parent=home, title="Du lịch", slug="du-lich")
    story = ArticlePageFactory(parent=section, title="Cù Lao Chàm mùa biển lặng")
    assert titles(client, q="cu lao cham", section=section.pk) == [story.title]
    story.move(other, pos="last-child")
    assert titles(client, q="cu lao cham", section=section.pk) == []
    assert titles(client, q="cu lao cham", section=other.pk) == [story.title]


def test_searches_reach_every_slice_of_the_archive(client, monkeypatch, home, section):
    """PostgreSQL reads the archive slice by slice, newest first (engine.SLICES): shrunk here
    to two stories a slice, a search still finds every match, in order, with any filter."""
    from toasoan.search import engine

    monkeypatch.setattr(engine, "SLICES", (2, 4, 6))
    monkeypatch.setattr(engine, "_boundaries", (0.0, ()))
    other = SectionPageFactory(parent=home, title="Kinh tế", slug="kinh-te")
    start = datetime(2024, 1, 1, 9, tzinfo=HCM)
    storm = [
        published_on(section, f"Bão số {n} vào Quảng Nam", start - timedelta(days=30 * n))
        for n in range(1, 10)
    ]  # newest first
    for n in range(1, 9):  # other stories between them: slices hold stories, not matches
        published_on(other, f"Giá lúa tuần {n}", start - timedelta(days=30 * n + 1))
    published_on(other, "Chợ Tam Kỳ sau bão số 5 vào Quảng Nam", start - timedelta(days=151))

    everything = [s.title for s in storm]
    assert titles(client, q="bao quang nam", sort="newest") == [
        *everything[:5],
        "Chợ Tam Kỳ sau bão số 5 vào Quảng Nam",
        *everything[5:],
    ]
    assert titles(client, q="bao", section=str(section.pk), sort="newest") == everything
    assert titles(client, q='"vao quang nam"', section=str(section.pk), sort="newest") == everything
    between = titles(
        client, q="bao", section=section.pk, date_from="01/05/2023", date_to="30/09/2023"
    )
    assert sorted(between) == sorted(everything[3:8])
    html = client.get("/search/", {"q": "bao quang nam"}).content.decode()
    assert "10 kết quả" in html


def _daily_stories(section, count: int, days_ago: int, title) -> datetime:
    """`count` stories, one a day from `days_ago` days back, titled `title(n)`, indexed;
    returns the first one's day."""
    start = timezone.now() - timedelta(days=days_ago)
    bulk_add_stories(
        section,
        [
            StoryRow(
                title=title(n),
                sapo="Sapo.",
                published_at=start + timedelta(days=n),
                blocks=paragraph("<p>Nội dung.</p>"),
            )
            for n in range(count)
        ],
    )
    rebuild()
    return start


def _meetings_and_briefs(n: int) -> str:
    return f"Hội nghị tổng kết số {n}" if n % 3 else f"Tin vắn số {n}"


def _small_slices(monkeypatch, slices: tuple[int, ...], window: int) -> None:
    """PostgreSQL's archive slices and window, the size of a test's archive."""
    from toasoan.search import engine

    monkeypatch.setattr(engine, "SLICES", slices)
    monkeypatch.setattr(engine, "WINDOW", window)
    monkeypatch.setattr(engine, "_boundaries", (0.0, ()))


def test_common_words_find_the_newest_matches_across_slices(section, monkeypatch):
    """PostgreSQL reads the archive in slices, newest first, walking a slice or reading it
    through the GIN index: a query of common words walks on past the newest slice, and the
    stories it hands over for ranking are still exactly the newest matches, in order."""
    from django.db import connection

    from toasoan.search import engine
    from toasoan.search.query import parse

    if connection.vendor != "postgresql":
        pytest.skip("the slices are PostgreSQL's")
    _daily_stories(section, 60, 100, _meetings_and_briefs)
    _small_slices(monkeypatch, (6, 18, 30, 42), window=12)
    walks = []

    def plans(execute, sql, params, many, context):
        if sql.startswith("SET LOCAL enable_seqscan"):
            walks.append("enable_bitmapscan = off" in sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(plans), connection.cursor() as cursor:
        total, found = engine._candidates_postgresql(
            parse("hoi nghi tong ket"), engine.Filters(), cursor
        )
    matching = ArticlePage.objects.filter(title__startswith="Hội nghị").order_by(
        "-first_published_at"
    )
    assert [c.pk for c in found] == [story.pk for story in matching[:12]]
    assert walks[:2] == [True, True]  # the second slice walked too: 4 of 6 matched


def test_a_date_filter_walks_the_newest_stories_of_its_dates(section, monkeypatch):
    """A common word within dates long past ("bao" in 2020) is walked from the end of the
    dates, the newest slice's worth of entries first, as an unfiltered search walks from
    today (not read whole through the GIN index); it still hands over exactly the newest
    matches of the dates, in order, and walks on while matches come often."""
    from django.db import connection

    from toasoan.search import engine
    from toasoan.search.query import parse

    if connection.vendor != "postgresql":
        pytest.skip("the slices are PostgreSQL's")
    start = _daily_stories(section, 150, 200, _meetings_and_briefs)
    _small_slices(monkeypatch, (6, 18, 30, 42), window=12)
    walks = []

    def plans(execute, sql, params, many, context):
        if sql.startswith("SET LOCAL enable_seqscan"):
            walks.append("enable_bitmapscan = off" in sql)
        return execute(sql, params, many, context)

    dates = engine.Filters(
        date_from=(start + timedelta(days=10)).date(), date_to=(start + timedelta(days=60)).date()
    )
    with connection.execute_wrapper(plans), connection.cursor() as cursor:
        total, found = engine._candidates_postgresql(parse("hoi nghi tong ket"), dates, cursor)
    matching = ArticlePage.objects.filter(
        title__startswith="Hội nghị",
        first_published_at__gte=engine._aware(dates.date_from),
        first_published_at__lt=engine._aware(dates.date_to + timedelta(days=1)),
    ).order_by("-first_published_at")
    assert [c.pk for c in found] == [story.pk for story in matching[:12]]
    assert walks[:2] == [True, True]  # the newest of the dates walked, and the next slice too


def test_a_long_query_of_common_words_fetches_only_stories_holding_them(section, monkeypatch):
    """PostgreSQL walks the newest entries through their word signatures (migration 0010):
    only the entries holding every required word, in any of its spellings ("UBND" or "Ủy ban
    nhân dân"), are fetched and matched, and the stories handed over for ranking are still
    exactly the newest matches, in order: the signature only spares the misses."""
    from django.db import connection

    from toasoan.search import engine
    from toasoan.search.query import parse

    if connection.vendor != "postgresql":
        pytest.skip("signatures are PostgreSQL's")
    titles_by_n = {
        0: "UBND tỉnh Quảng Nam tổ chức hội nghị tổng kết công tác",
        1: "Ủy ban nhân dân tỉnh Quảng Nam tổ chức hội nghị",
        2: "Ủy ban nhân dân tỉnh Quảng Nam tổ chức lễ hội",  # no "nghị"
        3: "Ủy ban tỉnh Quảng Nam tổ chức hội nghị nhân dân",  # "ủy ban … nhân dân" apart
    }
    _daily_stories(section, 40, 100, lambda n: f"{titles_by_n[n % 4]} số {n}")
    _small_slices(monkeypatch, (6, 18, 30), window=8)
    query = engine.words.expand(parse("uy ban nhan dan quang nam to chuc hoi nghi"))
    fetched = []

    def sieved(execute, sql, params, many, context):
        if "s.signature" in sql and not sql.startswith("EXPLAIN"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
                fetched.append(_loops(cursor.fetchone()[0], "search_searchentry e"))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(sieved), connection.cursor() as cursor:
        total, found = engine._candidates_postgresql(query, engine.Filters(), cursor)
    matching = [
        story.pk
        for story in ArticlePage.objects.order_by("-first_published_at")
        if story.title.startswith((titles_by_n[0], titles_by_n[1]))
    ]
    assert [c.pk for c in found] == matching[:8]
    # The newest slice, 6 entries: the 2 without "nghị" are never fetched; the other 4 are,
    # and 2 of them match (the 2 with "ủy ban … nhân dân" apart do not).
    assert fetched[0] == 4


def _loops(plan, alias: str) -> int:
    """How many times the plan node scanning `alias` ran (entries fetched one by one)."""
    nodes = [plan[0]["Plan"]] if isinstance(plan, list) else [plan]
    while nodes:
        node = nodes.pop()
        if f"{node.get('Relation Name', '')} {node.get('Alias', '')}" == alias:
            return node["Actual Loops"]
        nodes += node.get("Plans", [])
    raise AssertionError(f"no scan of {alias}")
