"""Export for layout: a story as InCopy markup (ICML) and its photos as a zip.

ICML is the XML InDesign places as a linked story. Each paragraph is a ParagraphStyleRange
naming one of the paper's paragraph styles (Tit, Sapo, NoiDung, ButDanh), holding one
CharacterStyleRange (the sapo's bold is a character style, Dam) whose Content is the text,
NFC, exactly as written; the layout template maps the style names to its own.
"""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree import ElementTree as ET

from toasoan.core.text import nfc, vi_slug
from toasoan.newsroom.models import ArticlePage, Photo

from .models import PrintVersion
from .versions import paragraphs

NO_CHAR_STYLE = "CharacterStyle/$ID/[No character style]"
PARAGRAPH_STYLES = {"title": "Tit", "sapo": "Sapo", "body": "NoiDung", "byline": "ButDanh"}
CHARACTER_STYLES = {"sapo": "Dam"}


@dataclass(frozen=True)
class PrintText:
    title: str
    sapo: str
    body: str  # paragraphs separated by blank lines
    byline: str = ""


def text_of(version: PrintVersion) -> PrintText:
    story = version.story
    byline = ", ".join(b.pen_name.name for b in story.bylines.all() if b.pen_name_id)
    return PrintText(version.title, version.sapo, version.body, byline)


def _paragraph(story: ET.Element, kind: str, text: str, last: bool) -> None:
    para = ET.SubElement(
        story,
        "ParagraphStyleRange",
        AppliedParagraphStyle=f"ParagraphStyle/{PARAGRAPH_STYLES[kind]}",
    )
    char_style = CHARACTER_STYLES.get(kind)
    run = ET.SubElement(
        para,
        "CharacterStyleRange",
        AppliedCharacterStyle=f"CharacterStyle/{char_style}" if char_style else NO_CHAR_STYLE,
    )
    ET.SubElement(run, "Content").text = nfc(text)
    if not last:
        ET.SubElement(run, "Br")


def to_icml(text: PrintText) -> bytes:
    """The ICML document of one story, UTF-8."""
    doc = ET.Element("Document", DOMVersion="8.0", Self="d")
    chars = ET.SubElement(doc, "RootCharacterStyleGroup", Self="u77")
    ET.SubElement(chars, "CharacterStyle", Self=NO_CHAR_STYLE, Name="$ID/[No character style]")
    for name in CHARACTER_STYLES.values():
        ET.SubElement(
            chars, "CharacterStyle", Self=f"CharacterStyle/{name}", Name=name, FontStyle="Bold"
        )
    paras = ET.SubElement(doc, "RootParagraphStyleGroup", Self="u78")
    for name in PARAGRAPH_STYLES.values():
        ET.SubElement(paras, "ParagraphStyle", Self=f"ParagraphStyle/{name}", Name=name)
    story = ET.SubElement(
        doc,
        "Story",
        Self="u100",
        AppliedTOCStyle="n",
        TrackChanges="false",
        StoryTitle=nfc(text.title),
        AppliedNamedGrid="n",
    )
    ET.SubElement(
        story,
        "StoryPreference",
        OpticalMarginAlignment="false",
        OpticalMarginSize="12",
        FrameType="TextFrameType",
        StoryOrientation="Horizontal",
        StoryDirection="LeftToRightDirection",
    )
    parts = [("title", text.title)]
    if text.sapo:
        parts.append(("sapo", text.sapo))
    parts += [("body", p) for p in paragraphs(text.body)]
    if text.byline:
        parts.append(("byline", text.byline))
    for i, (kind, value) in enumerate(parts):
        _paragraph(story, kind, value, last=i == len(parts) - 1)
    body = ET.tostring(doc, encoding="unicode")
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<?aid style="50" type="snippet" readerVersion="6.0" featureSet="513" '
        'product="8.0(370)" ?>\n'
        '<?aid SnippetType="InCopyInterchange"?>\n'
    )
    return (head + body).encode("utf-8")


def from_icml(data: bytes) -> PrintText:
    """Read a story back out of ICML by its paragraph styles (the round trip of the tests and
    of a story returned from InCopy)."""
    root = ET.fromstring(data)
    found: dict[str, list[str]] = {k: [] for k in PARAGRAPH_STYLES}
    by_style = {f"ParagraphStyle/{v}": k for k, v in PARAGRAPH_STYLES.items()}
    for para in root.iter("ParagraphStyleRange"):
        kind = by_style.get(para.get("AppliedParagraphStyle", ""))
        if kind is None:
            continue
        found[kind].append("".join(c.text or "" for c in para.iter("Content")))
    return PrintText(
        title="\n".join(found["title"]),
        sapo="\n".join(found["sapo"]),
        body="\n\n".join(found["body"]),
        byline="\n".join(found["byline"]),
    )


def story_photos(story: ArticlePage) -> list[Photo]:
    """The cover, then the body's photos, each once."""
    photos: list[Photo] = []
    if story.cover_image_id:
        photos.append(story.cover_image)
    for block in story.body:
        if block.block_type == "photo" and block.value.get("image") is not None:
            photos.append(block.value["image"])
    seen, out = set(), []
    for photo in photos:
        if photo.pk not in seen:
            seen.add(photo.pk)
            out.append(photo)
    return out


def photos_zip(story: ArticlePage) -> bytes:
    """Full-resolution originals, numbered, with chu-thich.txt: caption and credit of each."""
    buffer = io.BytesIO()
    lines = [nfc(story.title), ""]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for n, photo in enumerate(story_photos(story), start=1):
            suffix = PurePosixPath(photo.file.name).suffix.lower() or ".jpg"
            name = f"{n:02d}-{vi_slug(photo.title, 60) or 'anh'}{suffix}"
            with photo.open_file() as handle:
                archive.writestr(name, handle.read())
            credit = f" (Ảnh: {photo.credit})" if photo.credit else ""
            lines.append(f"{name}: {nfc(photo.caption)}{credit}")
        archive.writestr("chu-thich.txt", ("\n".join(lines) + "\n").encode("utf-8"))
    return buffer.getvalue()
