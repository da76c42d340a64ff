"""Editions by language: which exist, where each lives, what each is called and how it searches.

Everything here is derived from settings: `LANGUAGE_CODE` is the default edition, served at
`/`; every other language of `WAGTAIL_CONTENT_LANGUAGES` is an edition at `/<code>/`. Adding a
language is configuration plus a translated interface catalogue — no code (docs/an-ban.md).
"""

from dataclasses import dataclass

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation

# PostgreSQL's built-in text-search configurations (stemming); other languages search `simple`.
POSTGRES_CONFIGS = {
    "arabic", "armenian", "basque", "catalan", "danish", "dutch", "english", "finnish",
    "french", "german", "greek", "hindi", "hungarian", "indonesian", "irish", "italian",
    "lithuanian", "nepali", "norwegian", "portuguese", "romanian", "russian", "serbian",
    "spanish", "swedish", "tamil", "turkish", "yiddish",
}  # fmt: skip


@dataclass(frozen=True)
class Edition:
    code: str  # the language code: "vi", "en"
    name: str  # its own name: "Tiếng Việt", "English"

    @property
    def is_default(self) -> bool:
        return self.code == settings.LANGUAGE_CODE

    @property
    def prefix(self) -> str:
        """The URL prefix: "" for the default edition, "/en" for English."""
        return "" if self.is_default else f"/{self.code}"

    @property
    def home_url(self) -> str:
        return f"{self.prefix}/"

    @property
    def name_vi(self) -> str:
        """The language's name in Vietnamese ("Tiếng Anh"), for staff screens and desk names."""
        with translation.override(settings.LANGUAGE_CODE):
            return str(translation.get_language_info(self.code)["name_translated"])

    @property
    def desk_name(self) -> str:
        return f"Ban {self.name_vi}"

    @property
    def search_config(self) -> str:
        """PostgreSQL text-search configuration for this edition's stories (stemming)."""
        english_name = LANG_INFO.get(self.code, {}).get("name", "").lower()
        return english_name if english_name in POSTGRES_CONFIGS else "simple"


def all_editions() -> list[Edition]:
    """The default edition first, then the others in settings order."""
    languages = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    codes = [settings.LANGUAGE_CODE] + [c for c in languages if c != settings.LANGUAGE_CODE]
    return [Edition(code, str(languages[code])) for code in codes]


def get(code: str) -> Edition | None:
    return next((e for e in all_editions() if e.code == code), None)


def default() -> Edition:
    return all_editions()[0]


def current() -> Edition:
    """The edition of the request being served (the active language)."""
    return get(translation.get_language() or "") or default()


def code_for_path(path: str) -> str:
    """`/en/…` is English; every other path is the default edition (no header, no cookie)."""
    first = path.lstrip("/").split("/", 1)[0]
    if (
        first
        and first != settings.LANGUAGE_CODE
        and first in dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    ):
        return first
    return settings.LANGUAGE_CODE
