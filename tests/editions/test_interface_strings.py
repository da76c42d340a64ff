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

from tests.factories import PhotoFactory
from toasoan.editions import catalogue
from toasoan.editions.models import EditionMasthead

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


@pytest.mark.django_db
def test_english_pages_show_no_vietnamese_interface_words(client, en_story, en_locale):
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
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404), (name, response.status_code)
        html = response.content.decode()
        assert '<html lang="en">' in html, name
        assert vietnamese_words(html) == [], f"untranslated on the English {name} page"
    assert vietnamese_words(client.get("/").content.decode()), "the check does see Vietnamese"
