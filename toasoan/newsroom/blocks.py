"""Blocks of an article body: paragraphs, photos (with their own caption and credit), quotes,
tables, video."""

from urllib.parse import parse_qs, urlparse

from django.utils.translation import get_language
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

from .pictures import PENDING_SECONDS, PICTURE_SECONDS, identity, pictures, recently_shown

PARAGRAPH_FEATURES = ["bold", "italic", "link", "h2", "h3", "ol", "ul", "superscript"]


class PhotoBlock(blocks.StructBlock):
    """A photo in the body, shown with the caption and credit it was uploaded with."""

    image = ImageChooserBlock(
        label="Ảnh",
        help_text="Chú thích và tác giả ảnh đi theo ảnh: nhập khi tải lên, sửa ở “Sửa ảnh này”.",
    )
    wide = blocks.BooleanBlock(label="Ảnh tràn khổ", required=False)

    class Meta:
        icon = "image"
        label = "Ảnh"
        template = "newsroom/blocks/photo.html"

    def render(self, value, context=None):
        """The figure, rendered once per photo, caption, credit and language and kept in this
        worker (newsroom.pictures): a story with ten photos otherwise renders the same
        template ten times per page, every page."""
        photo = value.get("image") if isinstance(value, dict) else None
        if photo is None or not photo.pk:
            return super().render(value, context)
        key = (
            "figure",
            identity(photo),
            photo.caption,
            photo.credit,
            photo.alt_text,
            bool(value.get("wide")),
            get_language(),
        )
        html = pictures.get(key)
        if html is None:
            html = super().render(value, context)
            # Kept as long as its <picture> is: briefly while some sizes are still missing.
            complete = recently_shown(photo)
            pictures.put(key, html, PICTURE_SECONDS if complete else PENDING_SECONDS)
        return html

    def normalize(self, value):
        """Blocks written before captions moved onto the photo (importers, fixtures) may still
        carry "caption" and "credit": ignored, as stored blocks' are."""
        if isinstance(value, dict):
            value = {key: item for key, item in value.items() if key in self.child_blocks}
        return super().normalize(value)


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="Trích dẫn")
    attribution = blocks.CharBlock(label="Người nói", required=False)

    class Meta:
        icon = "openquote"
        label = "Trích dẫn"
        template = "newsroom/blocks/quote.html"


class VideoBlock(blocks.StructBlock):
    """A video shown as a link card; a player from another host loads only when clicked."""

    url = blocks.URLBlock(label="Địa chỉ video", help_text="YouTube, hoặc tệp .mp4 của tòa soạn.")
    title = blocks.CharBlock(label="Tiêu đề video")
    caption = blocks.CharBlock(label="Chú thích", required=False)
    poster = ImageChooserBlock(label="Ảnh đại diện", required=False)

    class Meta:
        icon = "media"
        label = "Video"
        template = "newsroom/blocks/video.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["youtube_id"] = youtube_id(value["url"])
        context["is_file"] = urlparse(value["url"]).path.lower().endswith((".mp4", ".webm"))
        return context


def youtube_id(url: str) -> str:
    parsed = urlparse(url)
    host = parsed.netloc.lower().removeprefix("www.").removeprefix("m.")
    if host == "youtu.be":
        return parsed.path.strip("/")
    if host == "youtube.com":
        if parsed.path.startswith(("/embed/", "/shorts/")):
            return parsed.path.split("/")[2]
        return parse_qs(parsed.query).get("v", [""])[0]
    return ""


class CorrectionBlock(blocks.StructBlock):
    """An đính chính: what was wrong and what is right, with when the paper said so."""

    corrected_at = blocks.DateTimeBlock(label="Thời điểm đính chính")
    text = blocks.TextBlock(label="Nội dung đính chính")

    class Meta:
        icon = "warning"
        label = "Đính chính"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label="Đoạn văn")
    photo = PhotoBlock()
    quote = QuoteBlock()
    table = TableBlock(label="Bảng", template="newsroom/blocks/table.html")
    video = VideoBlock()
