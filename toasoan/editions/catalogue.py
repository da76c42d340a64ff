"""The public interface's translation catalogue, shared by every edition.

Msgids are English; `locale/<code>/LC_MESSAGES/django.po` holds each other language (vi first).
Only the public site's files are scanned (below), so staff screens, which are Vietnamese and
have their own catalogue in toasoan/core, never mix in. `manage.py edition_messages` updates and
compiles the catalogues; `--check` fails on any public string left untranslated.
"""

from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"

PUBLIC_SOURCES = (
    "toasoan/frontpage/templates/base.html",
    "toasoan/frontpage/templates/404.html",
    "toasoan/frontpage/templates/500.html",
    "toasoan/frontpage/templates/frontpage/**/*.html",
    "toasoan/newsroom/templates/newsroom/blocks/*.html",
    "toasoan/comments/templates/comments/*.html",
    "toasoan/polls/templates/polls/*.html",
    "toasoan/readership/templates/readership/*.html",
    "toasoan/search/templates/search/*.html",
    "toasoan/search/forms.py",
    "toasoan/syndication/templates/syndication/*.html",
    "toasoan/syndication/feeds.py",
    "toasoan/syndication/metadata.py",
    "toasoan/editions/templates/editions/*.html",
    "toasoan/editions/public.py",
)


def public_files() -> list[Path]:
    files: set[Path] = set()
    for pattern in PUBLIC_SOURCES:
        files.update(p for p in ROOT.glob(pattern) if p.is_file())
    return sorted(files)


def target_languages() -> list[str]:
    """Every edition language that needs a catalogue (all but the msgids' own language)."""
    return [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES if code != SOURCE_LANGUAGE]
