"""Story HTML from WordPress (or an agency) → the blocks of an article body.

Paragraph text goes through the sanitiser into paragraph blocks; images become photo
blocks when the file could be found locally (the caller's `resolve` returns a Photo), and
otherwise stay at their original address inside the paragraph; block quotes become quote
blocks, YouTube/MP4 embeds video blocks, simple tables table blocks. Nothing is downloaded.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, NavigableString, Tag

from toasoan.newsroom.blocks import youtube_id

from .text import clean_text, html_to_text, sanitise_html

BLOCK_TAGS = (
    "p|div|blockquote|ul|ol|li|h[1-6]|table|figure|pre|hr|iframe|form|section|article|address"
)
_HAS_BLOCKS = re.compile(rf"<(?:{BLOCK_TAGS})[\s>/]", re.I)
_CAPTION = re.compile(r"\[(?:wp_)?caption\b[^\]]*\](.*?)\[/(?:wp_)?caption\]", re.I | re.S)
_GALLERY = re.compile(r"\[gallery\b[^\]]*?\bids=[\"']?([\d,\s]+)[\"']?[^\]]*\]", re.I)
_EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.I | re.S)
_BARE_URL_LINE = re.compile(r"^\s*(https?://\S+)\s*$", re.M)
_MEDIA_SHORTCODES = re.compile(r"\[/?(?:audio|video|playlist|gallery)\b[^\]]*\]", re.I)
_WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")


@dataclass
class ImageRef:
    src: str = ""
    attachment_id: str = ""
    alt: str = ""
    caption: str = ""


# Returns the id of a local Photo, or None to keep the image at its original address.
Resolver = Callable[[ImageRef], int | None]


@dataclass
class Body:
    blocks: list[dict] = field(default_factory=list)
    lead: str = ""
    local_images: int = 0
    remote_images: int = 0


def _block(kind: str, value) -> dict:
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def is_video_url(url: str) -> bool:
    return bool(youtube_id(url)) or urlsplit(url).path.lower().endswith((".mp4", ".webm"))


def wpautop(text: str) -> str:
    """WordPress's classic editor stores paragraphs as blank lines; make them <p>."""
    if _HAS_BLOCKS.search(text):
        return text
    chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    out = []
    for chunk in chunks:
        if not chunk.strip():
            continue
        if re.match(rf"\s*<(?:{BLOCK_TAGS})[\s>/]", chunk, re.I):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def _shortcodes(text: str) -> str:
    text = _CAPTION.sub(lambda m: f"<figure>{_caption_inner(m.group(1))}</figure>", text)
    text = _GALLERY.sub(lambda m: f'<figure data-gallery="{m.group(1)}"></figure>', text)
    text = _EMBED.sub(lambda m: f'<iframe src="{m.group(1).strip()}"></iframe>', text)
    text = _BARE_URL_LINE.sub(
        lambda m: f'<iframe src="{m.group(1)}"></iframe>' if is_video_url(m.group(1)) else m[0],
        text,
    )
    return _MEDIA_SHORTCODES.sub("", text)


def _caption_inner(inner: str) -> str:
    """`<a><img></a> Caption text` → `<a><img></a><figcaption>Caption text</figcaption>`."""
    match = re.match(r"\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", inner, re.S | re.I)
    if not match:
        return inner
    return f"{match.group(1)}<figcaption>{match.group(2).strip()}</figcaption>"


class _Builder:
    def __init__(self, resolve: Resolver):
        self.resolve = resolve
        self.body = Body()
        self.paragraph: list[str] = []

    def flush(self) -> None:
        markup = sanitise_html("".join(self.paragraph), allow_images=True)
        self.paragraph = []
        if html_to_text(markup) or "<img" in markup:
            self.body.blocks.append(_block("paragraph", markup))

    def image(self, img: Tag, caption: str = "") -> None:
        classes = " ".join(img.get("class") or [])
        match = _WP_IMAGE_CLASS.search(classes)
        ref = ImageRef(
            src=(img.get("src") or "").strip(),
            attachment_id=match.group(1) if match else "",
            alt=clean_text(img.get("alt"), 500),
            caption=clean_text(caption, 500),
        )
        self.photo(ref)

    def photo(self, ref: ImageRef) -> None:
        photo_id = self.resolve(ref)
        if photo_id:
            self.flush()
            value = {"image": photo_id, "caption": ref.caption, "credit": "", "wide": False}
            self.body.blocks.append(_block("photo", value))
            self.body.local_images += 1
        elif ref.src.startswith(("http://", "https://")):
            src, alt = escape(ref.src), escape(ref.alt or ref.caption)
            self.paragraph.append(f'<p><img src="{src}" alt="{alt}"></p>')
            if ref.caption:
                self.paragraph.append(f"<p><i>{escape(ref.caption)}</i></p>")
            self.body.remote_images += 1

    def video(self, url: str, title: str) -> None:
        self.flush()
        value = {"url": url, "title": title or "Video", "caption": "", "poster": None}
        self.body.blocks.append(_block("video", value))

    def quote(self, node: Tag) -> None:
        cite = node.find("cite")
        attribution = clean_text(cite.get_text(" ")) if cite else ""
        if cite:
            cite.extract()
        text = html_to_text(str(node))
        if text:
            self.flush()
            value = {"text": text, "attribution": attribution[:250]}
            self.body.blocks.append(_block("quote", value))

    def table(self, node: Tag) -> None:
        rows = []
        for tr in node.find_all("tr"):
            cells = [clean_text(cell.get_text(" ")) for cell in tr.find_all(["td", "th"])]
            if cells:
                rows.append(cells)
        if not rows:
            return
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        self.flush()
        first_is_header = bool(node.find("tr") and node.find("tr").find("th"))
        value = {
            "data": rows,
            "first_row_is_table_header": first_is_header,
            "first_col_is_header": False,
            "table_caption": "",
        }
        self.body.blocks.append(_block("table", value))

    def text(self, node) -> None:
        """A text element: its images become photos after it; the rest stays a paragraph."""
        if isinstance(node, Tag):
            for img in node.find_all("img"):
                link = img.parent if img.parent is not None and img.parent.name == "a" else None
                (link or img).extract()
                self.image(img)
            for frame in node.find_all("iframe"):
                frame.extract()
            if re.fullmatch(r"h[1-6]", node.name or ""):
                node.name = "h2" if node.name in ("h1", "h2") else "h3"
            elif node.name in ("div", "section", "article", "pre", "address", "figure"):
                node.name = "p"
            if node.get_text(strip=True):
                self.paragraph.append(str(node))
        else:
            text = str(node)
            if text.strip():
                self.paragraph.append(f"<p>{text}</p>")


def convert(markup: str, resolve: Resolver, title: str = "", take_lead: bool = False) -> Body:
    """The body blocks of a story; with `take_lead`, its first short paragraph is the lead."""
    builder = _Builder(resolve)
    soup = BeautifulSoup(wpautop(_shortcodes(markup or "")), "html.parser")
    for node in list(soup.contents):
        if isinstance(node, NavigableString):
            if node.__class__ is NavigableString:  # not a comment, CDATA or doctype
                if node.strip():
                    take_lead = False
                builder.text(node)
            continue
        name = node.name
        if take_lead and name == "p" and not node.find(["img", "iframe"]):
            lead = clean_text(node.get_text(" "))
            if lead and len(lead) <= 600:
                builder.body.lead = lead  # the sapo, shown above the body: not repeated in it
                take_lead = False
                continue
        take_lead = False
        if name == "figure" and node.get("data-gallery"):
            for attachment_id in re.findall(r"\d+", node["data-gallery"]):
                builder.photo(ImageRef(attachment_id=attachment_id))
        elif name == "figure" or (name == "img") or (name == "a" and node.find("img")):
            caption_node = node.find("figcaption") if name == "figure" else None
            caption = caption_node.get_text(" ") if caption_node else ""
            images = [node] if name == "img" else node.find_all("img")
            for img in images:
                builder.image(img, caption)
            if not images:
                builder.text(node)
        elif name == "blockquote":
            builder.quote(node)
        elif name == "table":
            builder.table(node)
        elif name == "iframe":
            url = (node.get("src") or "").strip()
            if is_video_url(url):
                builder.video(url, title)
        elif name in ("script", "style", "noscript"):
            continue
        else:
            builder.text(node)
    builder.flush()
    return builder.body
