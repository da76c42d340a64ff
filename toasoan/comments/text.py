"""Comment text as HTML: plain text escaped, web links made clickable, nothing else.

The text is escaped first, links are found by bleach's linkifier (an HTML5 parser, not a
regex over raw input), and the result goes through nh3 (ammonia) as a final gate that
only lets `<p>`, `<br>` and http(s) `<a>` with rel="nofollow ugc noopener" through.
"""

import html
import re

import nh3
from bleach.linkifier import Linker

from toasoan.core.text import fold

LINK_REL = "nofollow ugc noopener"
_URL_IN_TEXT = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|vn|net|org|info|xyz|top|ru|cn)\b", re.I
)


def _only_web_links(attrs: dict, new: bool = False) -> dict | None:
    href = attrs.get((None, "href"), "")
    if not re.match(r"https?://", href, re.I):
        if href.lower().startswith("www."):
            attrs[(None, "href")] = "http://" + href
        else:
            return None  # leave it as text
    attrs[(None, "rel")] = LINK_REL
    return attrs


_linker = Linker(callbacks=[_only_web_links], parse_email=False)


def render(text: str) -> str:
    """Escaped paragraphs with clickable web links (safe to mark_safe)."""
    paragraphs = [p for p in re.split(r"\n\s*\n", (text or "").strip()) if p.strip()]
    parts = []
    for paragraph in paragraphs:
        escaped = html.escape(paragraph.strip(), quote=True).replace("\n", "<br>")
        parts.append(f"<p>{_linker.linkify(escaped)}</p>")
    return nh3.clean(
        "".join(parts),
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=LINK_REL,
        strip_comments=True,
    )


def count_links(text: str) -> int:
    """How many web addresses a text contains (what the link limit counts)."""
    return len(_URL_IN_TEXT.findall(text or ""))


def normalised(text: str) -> str:
    """The text as compared for duplicates and banned words: folded, spaces collapsed."""
    return " ".join(fold(text).split())
