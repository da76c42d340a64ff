"""The Vietnamese editors' guide (docs/huong-dan-bien-tap.md) shown inside the admin.

The Markdown in docs/ stays the one source: it is rendered here on request (and kept until
the file changes), its screenshots served from docs/huong-dan/ by the admin, so the help is
on our own server, in Vietnamese, and the same as the repository's.
"""

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse

TITLE = "Hướng dẫn biên tập"
GUIDE = Path(settings.BASE_DIR) / "docs" / "huong-dan-bien-tap.md"
IMAGES = GUIDE.parent / "huong-dan"
IMAGE_NAME = re.compile(r"^[\w-]+\.(?:jpg|jpeg|png|webp)$")


def guide_html() -> str:
    """The guide as HTML (raw HTML in the Markdown is escaped, not passed through)."""
    return _render(GUIDE.stat().st_mtime)


@lru_cache(maxsize=1)
def _render(mtime: float) -> str:
    from markdown_it import MarkdownIt  # editors' help only: not in every web worker

    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = markdown.parse(GUIDE.read_text(encoding="utf-8"))
    for token in tokens:
        for child in token.children or ():
            if child.type == "image":
                child.attrSet("src", image_url(str(child.attrGet("src"))))
                child.attrSet("loading", "lazy")
    body = markdown.renderer.render(tokens, markdown.options, {})
    return body.split("</h1>", 1)[-1]  # the page header already shows the title


def image_url(src: str) -> str:
    """ "huong-dan/01-dang-nhap.jpg" → the admin's address for that screenshot."""
    name = src.removeprefix(f"{IMAGES.name}/")
    return reverse("accounts_guide_image", args=[name]) if IMAGE_NAME.match(name) else src


def image_path(name: str) -> Path | None:
    """The screenshot's file, or None for any name that is not one of them."""
    if not IMAGE_NAME.match(name):
        return None
    path = IMAGES / name
    return path if path.is_file() else None
