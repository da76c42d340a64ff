"""A story's body as plain, self-contained HTML for apps and partners.

The public page's markup (lazy `<picture>`s, click-to-play video cards, CSS classes) is the
site's business; partners get simple semantic HTML with absolute URLs and image sizes,
passed through a real sanitiser (nh3) so that only these tags and attributes leave.
"""

from __future__ import annotations

from urllib.parse import urljoin

import nh3
from django.utils.html import format_html, linebreaks
from django.utils.safestring import mark_safe

from toasoan.newsroom.sizes import shown_sizes

BODY_IMAGE = "width-1200|format-jpeg"
TAGS = {
    "p", "br", "a", "strong", "b", "em", "i", "u", "sup", "sub", "h2", "h3", "h4", "ol", "ul",
    "li", "figure", "figcaption", "img", "blockquote", "table", "caption", "thead", "tbody",
    "tfoot", "tr", "th", "td", "span",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "width", "height", "alt"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}


def body_html(ctx, story) -> str:
    parts = []
    for block in story.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(str(value))
        elif kind == "photo":
            parts.append(_photo(ctx, value))
        elif kind == "quote":
            attribution = value.get("attribution")
            parts.append(
                format_html(
                    "<figure><blockquote>{}</blockquote>{}</figure>",
                    mark_safe(linebreaks(value["text"], autoescape=True)),  # noqa: S308
                    format_html("<figcaption>— {}</figcaption>", attribution)
                    if attribution
                    else "",
                )
            )
        elif kind == "table":
            parts.append(block.render())
        elif kind == "video":
            caption = value.get("caption")
            parts.append(
                format_html(
                    '<figure><p><a href="{}">Video: {}</a></p>{}</figure>',
                    value["url"],
                    value["title"],
                    format_html("<figcaption>{}</figcaption>", caption) if caption else "",
                )
            )
    base = ctx.absolute(story.get_url(ctx.request) or "/")

    def absolute(element: str, attribute: str, value: str) -> str | None:
        if attribute in {"href", "src"}:
            return urljoin(base, value)
        return value

    return nh3.clean(
        "".join(parts),
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=absolute,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    ).strip()


def _photo(ctx, value) -> str:
    image = value.get("image")
    if image is None:
        return ""
    # Only a size already made (newsroom.sizes); the original until it is.
    rendition = shown_sizes(image, (BODY_IMAGE,))[0].get(BODY_IMAGE) or image
    caption = value.get("caption") or image.caption
    credit = value.get("credit") or image.credit
    figcaption = ""
    if caption or credit:
        figcaption = format_html(
            "<figcaption>{}{}</figcaption>",
            caption,
            format_html(" <span>Ảnh: {}</span>", credit) if credit else "",
        )
    return format_html(
        '<figure><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
        ctx.absolute(rendition.file.url),
        rendition.width,
        rendition.height,
        caption or image.alt_text,
        figcaption,
    )
