"""Text from outside, made safe to store: NFC, no invisible direction tricks, plain or clean HTML;
and the dates of WordPress exports, read here so that the comment and post importers share
them without importing each other.

Bidirectional overrides (U+202E…) and zero-width characters in titles and names are a
well-known way to make text read differently from what it is; control characters break
XML feeds and sitemaps. Zero-width joiners stay (emoji sequences need them).
"""

import email.utils
import html
import re
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import nh3

from toasoan.core.queries import LEGACY
from toasoan.core.text import nfc

_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f"  # C0/C1 controls (not \t \n \r)
    "\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"  # bidi, ZW space, BOM
    "\ufffe\uffff\ud800-\udfff]"
)
# WordPress's own query forms of an address (`/?p=123`, `/?cat=4`), kept in old-address keys.
WP_QUERY = LEGACY  # one list with the page cache's (toasoan.core.queries)
_SPACES = re.compile(r"[ \t\u00a0\u2028\u2029]+")
_LOOSE_JOINERS = re.compile(r"(?<!\S)[\u200c\u200d]+|[\u200c\u200d]+(?!\S)")  # not inside a word

# What a story paragraph may hold (Wagtail's paragraph features, plus images kept at their
# original address when the file was not given to the importer).
PARAGRAPH_TAGS = {"p", "br", "b", "strong", "i", "em", "a", "h2", "h3", "ol", "ul", "li", "sup"}
IMAGE_TAGS = {"img"}
_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt", "width", "height"}}


def clean_text(text: str | None, max_length: int | None = None) -> str:
    """One line of plain text: NFC, invisible characters dropped, spaces collapsed."""
    value = _INVISIBLE.sub("", nfc(text or ""))
    value = _SPACES.sub(" ", value.replace("\r", " ").replace("\n", " "))
    value = _LOOSE_JOINERS.sub("", value).strip()
    if max_length and len(value) > max_length:
        value = value[: max_length - 1].rstrip() + "…"
    return value


def clean_multiline(text: str | None) -> str:
    """Plain text keeping its line breaks (comments)."""
    lines = [clean_text(line) for line in (text or "").replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str | None) -> str:
    """Plain text of a piece of HTML: tags dropped, <br> and paragraphs become line breaks."""
    value = re.sub(r"(?i)<br\s*/?>|</p\s*>|</div\s*>|</li\s*>", "\n", markup or "")
    value = nh3.clean(value, tags=set(), strip_comments=True)
    return clean_multiline(html.unescape(value))


def plain_text(markup: str | None, max_length: int | None = None) -> str:
    """A title or a name that may hold markup, as one line of plain text.

    WordPress titles, category and tag names, authors' display names and agencies' headlines
    are HTML: `Title <em>With</em> <b>Mark<sup>up</sup></b>` is “Title With Markup”. Tags
    go through the sanitiser (never into the text or the slug), entities are decoded, NFC."""
    return clean_text(html_to_text(markup), max_length)


def sanitise_html(markup: str, allow_images: bool = False) -> str:
    """Story HTML through a real sanitiser: only the tags a paragraph block knows."""
    tags = PARAGRAPH_TAGS | (IMAGE_TAGS if allow_images else set())
    cleaned = nh3.clean(
        _INVISIBLE.sub("", nfc(markup or "")),
        tags=tags,
        attributes={k: v for k, v in _ATTRIBUTES.items() if k in tags},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
        strip_comments=True,
    )
    return cleaned.strip()


def normalise_path(url_or_path: str, keep_query: tuple[str, ...] = ()) -> str:
    """An old address as a lookup key: decoded, NFC, lower-case, no trailing slash.

    Only the query parameters in `keep_query` (WordPress's ?p=, ?page_id=, ?cat=…) are kept,
    sorted, so tracking parameters never stop a redirect.
    """
    parts = urlsplit(url_or_path or "")
    path = nfc(unquote(parts.path or "/")).lower()
    path = "/" + path.strip("/") if path.strip("/") else "/"
    if not keep_query or not parts.query:
        return path
    pairs = []
    for chunk in parts.query.split("&"):
        key, _, value = chunk.partition("=")
        if key in keep_query and value:
            pairs.append(f"{key}={unquote(value)}")
    return f"{path}?{'&'.join(sorted(pairs))}" if pairs else path


def host_of(url_or_host: str) -> str:
    """`https://www.Bao.vn:443/x` → `bao.vn` (the form old domains are stored and matched in)."""
    value = (url_or_host or "").strip().lower()
    if "//" not in value:
        value = "//" + value
    host = urlsplit(value).hostname or ""
    return host.removeprefix("www.")


# --- dates as WordPress exports write them ---------------------------------------------
def parse_wp_date(value: str, zone) -> datetime | None:
    """`2011-01-18 07:40:14` in `zone` (UTC for the *_gmt fields); WordPress's zero date → None."""
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    try:
        moment = datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return moment.replace(tzinfo=zone)


def parse_rfc822(value: str) -> datetime | None:
    """An RSS `pubDate` (`Tue, 18 Jan 2011 07:40:14 +0000`); no zone given → UTC."""
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
