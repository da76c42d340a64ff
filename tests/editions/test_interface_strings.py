"""Every interface string of the public site is translated: the catalogue check extracts the
msgids as makemessages does and fails on any without a translation, and English pages are
rendered and searched for Vietnamese interface words."""

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.translation import gettext, pgettext
from wagtail.models import Collection, Page
from wagtail.rich_text import RichText

from tests.factories import ArticlePageFactory, PhotoFactory
from tests.staff import client_for
from toasoan.editions import catalogue
from toasoan.editions.models import EditionMasthead
from toasoan.search.indexing import index_story

VIETNAMESE = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯ"
    "àáạảãầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ"
    "ÀÁẠẢÃẦẤẬẨẪẰẮẶẲẴÈÉẸẺẼỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕỒỐỘỔỖỜỚỢỞỠÙÚỤỦŨỪỨỰỬỮỲÝỴỶỸ]"
)
# Words that are meant to stay as they are on English pages: the Vietnamese edition's own
# name in the language switcher, and the software's name in the footer.
ALLOWED = ("Tiếng Việt", "Toà Soạn")


class VisibleText(HTMLParser):
    """Text a reader sees or hears: text nodes and the attributes read aloud or shown."""

    ATTRIBUTES = {
        "aria-label",
        "placeholder",
        "title",
        "alt",
        "data-copied",
        "data-copy-prompt",
        "data-msg-sending",
        "data-msg-failed",
        "data-msg-offline",
        "data-msg-votes",
        "data-msg-closed",
    }

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in self.ATTRIBUTES and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def vietnamese_words(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = []
    for text in parser.parts:
        for allowed in ALLOWED:
            text = text.replace(allowed, "")
        if VIETNAMESE.search(text):
            found.append(text)
    return found


def test_every_public_msgid_has_a_translation_in_every_edition():
    call_command("edition_messages", check=True)


def test_a_new_untranslated_string_is_caught(tmp_path, monkeypatch):
    template = tmp_path / "new.html"
    template.write_text('{% load i18n %}<p>{% translate "A brand new reader notice" %}</p>')
    files = catalogue.public_files()
    monkeypatch.setattr(catalogue, "public_files", lambda: [*files, template])
    with pytest.raises(CommandError, match="A brand new reader notice"):
        call_command("edition_messages", check=True)


def test_public_strings_neither_shadow_nor_are_shadowed_by_staff_translations():
    """Django merges every catalogue: a public msgid that Wagtail or the admin catalogue also
    translates must say the same there, or carry a context ("site")."""
    po = polib.pofile(str(catalogue.LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.po"))
    ours = {(e.msgctxt or "", e.msgid): e.msgstr for e in po if not e.msgid_plural}
    with translation.override("vi"):
        for (context, msgid), msgstr in ours.items():
            seen = pgettext(context, msgid) if context else gettext(msgid)
            assert seen == msgstr, f"{msgid!r} is shown as {seen!r}, not {msgstr!r}"
    site_packages = Path(polib.__file__).parent  # Django's, Wagtail's and every library's
    others = list(site_packages.glob("*/**/locale/vi/LC_MESSAGES/django.po"))
    others.append(Path(catalogue.ROOT) / "toasoan/core/locale/vi/LC_MESSAGES/django.po")
    for other in others:
        for entry in polib.pofile(str(other)):
            key = (entry.msgctxt or "", entry.msgid)
            if key in ours and entry.msgstr:
                assert entry.msgstr == ours[key], f"{key} collides with {other}"


def english_story(section, title: str):
    """A story written in English, so that only the interface could bring Vietnamese in."""
    story = ArticlePageFactory(
        parent=section,
        title=title,
        sapo="Foreign investors can now file their paperwork at a single desk.",
        body=[("paragraph", RichText("<p>The desk brings together several departments.</p>"))],
    )
    index_story(story)
    return story


@pytest.mark.django_db
def test_english_pages_show_no_vietnamese_interface_words(
    client, settings, en_story, en_section, en_locale
):
    settings.TOASOAN = {**settings.TOASOAN, "PAGE_SIZE": 2}  # so search results have pages
    EditionMasthead.objects.create(
        locale=en_locale,
        name="Quang Nam Online",
        tagline="News from Quang Nam Province",
        licence="Online newspaper licence No. 000 (demo).",
        address="Tam Ky, Quang Nam, Viet Nam",
    )
    en_story.cover_image = PhotoFactory(caption="Officers at the new desk.", credit="QNO")
    en_story.topics.add("Investment")
    en_story.save_revision().publish()
    pages = {
        "home": "/en/",
        "section": "/en/news/",
        "story": en_story.url,
        "topic": "/en/chu-de/investment/",
        "pen name": f"/en/tac-gia/{en_story.pen_names()[0].slug}/",
        "comment page": f"/en/binh-luan/gui/{en_story.pk}/",
        "not found": "/en/no-such-page/",
        "missing sitemap": "/en/sitemap-no-such-part.xml",
        "feed list": "/en/rss/",
        "search": "/en/search/?q=quang+nam",
        "search, page 2": "/en/search/?q=quang+nam&page=2",
        "search in a section": f"/en/search/?q=quang+nam&section={en_section.pk}&sort=newest",
        "search, empty": "/en/search/?q=",
        "search, no letters": "/en/search/?q=%21%21%21",
        "search, no results": "/en/search/?q=hoi+an",
        "search, no results in a section": f"/en/search/?q=hoi+an&section={en_section.pk}",
        "search, bad filters": "/en/search/?q=quang+nam&date_from=2021-06-01&section=999999",
        "search, dates reversed": "/en/search/?q=desk&date_from=05/06/2021&date_to=01/01/2021",
        "search, too long": "/en/search/?q=" + "x" * 300,
        "search, too many words": "/en/search/?q=" + "+".join(["desk"] * 20),
    }
    index_story(en_story)
    for n in range(3):
        english_story(en_section, f"Quang Nam trade fair, day {n + 1}")
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, response.status_code)
        html = response.content.decode()
        assert '<html lang="en">' in html, name
        assert vietnamese_words(html) == [], f"untranslated on the English {name} page"
    assert vietnamese_words(client.get("/").content.decode()), "the check does see Vietnamese"


@pytest.mark.usefixtures("one_rate_window")
@pytest.mark.django_db
def test_english_search_pages_are_in_english_and_stay_in_the_edition(
    client, settings, en_story, en_section, en_locale
):
    EditionMasthead.objects.create(locale=en_locale, name="Quang Nam Online")
    settings.TOASOAN = {**settings.TOASOAN, "PAGE_SIZE": 1}
    index_story(en_story)
    english_story(en_section, "Quang Nam trade fair opens")
    html = client.get("/en/search/", {"q": "quang nam", "section": en_section.pk}).content
    html = html.decode()
    assert "<title>Search: quang nam |" in html
    assert 'action="/en/search/"' in html
    assert "2 results for “<strong>quang nam</strong>” in News · Page 1/2" in html
    assert ">Next page ›</a>" in html
    assert ">All sections</option>" in html and ">Most relevant</option>" in html
    html = client.get("/en/search/", {"q": "quang nam", "date_from": "2021-06-01"}).content
    assert "From date: Enter the date as dd/mm/yyyy" in html.decode()
    assert "No stories found for" in client.get("/en/search/", {"q": "hoi an"}).content.decode()
    settings.SEARCH_RATE_LIMIT = (1, 3600)
    client.get("/en/search/", {"q": "quang nam"})
    response = client.get("/en/search/", {"q": "quang nam"})
    assert response.status_code == 429
    html = response.content.decode()
    assert "You are searching too fast." in html and vietnamese_words(html) == []


@pytest.mark.django_db
def test_english_feed_list_leads_back_to_the_english_edition(client, en_section, en_locale):
    EditionMasthead.objects.create(locale=en_locale, name="Quang Nam Online")
    html = client.get("/en/rss/").content.decode()
    assert '<li><a href="/en/">Home</a></li>' in html
    assert 'rel="canonical" href="http://testserver/en/rss/"' in html
    assert "RSS feeds of Quang Nam Online" in html
    assert 'href="/en/rss/tin-moi-nhat.rss"' in html and 'href="/en/rss/news.rss"' in html


@pytest.mark.django_db
def test_vietnamese_search_and_feed_pages_keep_their_wording(client, settings, story, section):
    settings.TOASOAN = {**settings.TOASOAN, "PAGE_SIZE": 1}
    index_story(story)
    ArticlePageFactory(parent=section, title="Thông tin đối ngoại năm 2022")
    html = client.get("/search/", {"q": "thong tin doi ngoai", "section": section.pk})
    html = html.content.decode()
    assert '<html lang="vi">' in html and 'action="/search/"' in html
    assert "<title>Tìm kiếm: thong tin doi ngoai |" in html
    assert '<h1 class="page-title">Tìm kiếm</h1>' in html
    assert 'placeholder="Nhập từ khóa, có dấu hoặc không dấu"' in html
    assert "2 kết quả cho “<strong>thong tin doi ngoai</strong>” trong Thời sự · Trang 1/2" in html
    assert ">Tất cả chuyên mục</option>" in html and ">Liên quan nhất</option>" in html
    assert "Mẹo: gõ không dấu vẫn tìm được" in html
    assert '<nav class="pagination" aria-label="Phân trang">' in html and "Trang sau ›" in html
    html = client.get("/search/", {"q": "bao", "date_from": "2021-06-01"}).content.decode()
    assert "Từ ngày: Nhập ngày theo dạng dd/mm/yyyy, ví dụ 22/12/2021." in html
    assert "(bộ lọc này chưa được áp dụng)" in html
    assert "Không tìm thấy bài nào cho “<strong>bao</strong>”." in html
    assert "Nhập từ khóa để tìm bài viết." in client.get("/search/").content.decode()

    html = client.get("/rss/").content.decode()
    assert '<html lang="vi">' in html and vietnamese_words(html)
    assert '<li><a href="/">Trang chủ</a></li>' in html
    assert "Tin mới nhất" in html and "Cách dùng: sao chép đường dẫn" in html
    feed = client.get("/rss/tin-moi-nhat.rss").content.decode()
    assert "<description>Tin mới nhất của " in feed


@pytest.mark.django_db
def test_the_page_tree_and_photo_library_roots_are_named_in_vietnamese(admin_user):
    assert Page.get_first_root_node().title == "Các ấn bản"
    assert Collection.get_first_root_node().name == "Thư viện chung"
    explorer = client_for(admin_user).get("/admin/pages/1/").content.decode()
    assert "Các ấn bản" in explorer and ">Root<" not in explorer
