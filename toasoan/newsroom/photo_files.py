"""What an uploaded photo file may be, read from its bytes, never decoded.

The photo form's file field (`PhotoFileField`, used by photo_forms.PhotoForm):
- the pixel count comes from the header (Pillow opens lazily), so an 11,000 × 11,000 PNG of a
  few hundred KB is refused before a gigabyte is spent decoding it; the limit is
  WAGTAILIMAGES_MAX_IMAGE_PIXELS (PHOTO_MAX_MEGAPIXELS, 40 by default), sized so that a few
  renditions at once fit a small server;
- a file whose content is not the image its extension claims is refused naming what it really
  is (an HTML page renamed .jpg is "HTML", not "svg");
- what is stored keeps only the image: JPEG comments and foreign APP segments, PNG text
  chunks, GIF comment/text/foreign application blocks, WebP XMP and unknown chunks, AVIF
  XMP/unknown items and boxes (blanked in place) and anything after the image's end are
  dropped (a "polyglot" photo carrying an HTML or PHP payload comes out clean, and so do
  its renditions), and the stored name is reduced to one safe extension matching the real
  type (`x.php.jpg` → `x-php.jpg`).
"""

from __future__ import annotations

import re
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField

from toasoan.core.tasks import runs_in_worker
from toasoan.core.text import vi_slug

from . import photo_budget

EXTENSION_OF = {"jpeg": "jpg", "png": "png", "gif": "gif", "webp": "webp", "avif": "avif"}
MIME_OF = {"jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}
MIME_OF["avif"] = "image/avif"

# What a refused file really is, from its first bytes (the name a desk editor recognises).
_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF8", "GIF"),
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/Office"),
    (b"<?php", "PHP"),
    (b"\x7fELF", "chương trình (ELF)"),
    (b"MZ", "chương trình Windows (EXE)"),
    (b"8BPS", "Photoshop (PSD)"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


def real_type(head: bytes) -> str:
    """The actual kind of a file, named for a message: "HTML", "SVG", "PDF", "WebP"…"""
    if head[8:12] == b"WEBP" and head[:4] == b"RIFF":
        return "WebP"
    if head[4:12] in (b"ftypavif", b"ftypavis"):
        return "AVIF"
    if head[4:8] == b"ftyp":
        return "HEIC/MP4"
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<html" in text or text.startswith(b"<!doctype html") or b"<script" in text:
        return "HTML"
    if b"<svg" in text:
        return "SVG"
    if b"<?php" in text:
        return "PHP"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "XML"
    return "không phải ảnh"


def _dots(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def max_pixels() -> int:
    return settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS


def too_many_pixels_message(pixels: int, size: tuple[int, int] | None = None) -> str:
    limit = max_pixels()
    shown = f"{size[0]} × {size[1]} = " if size else ""
    return (
        f"Ảnh quá lớn: {shown}{_dots(pixels)} điểm ảnh ({pixels / 1e6:.0f} megapixel), "
        f"tối đa {_dots(limit)} điểm ảnh ({limit / 1e6:.0f} megapixel). "
        "Hãy thu nhỏ ảnh rồi tải lên lại."
    )


_BOMB = re.compile(r"Image size \((\d+) pixels\)")


def header_pixels(file) -> tuple[int, tuple[int, int] | None]:
    """(pixels, (width, height)) from the header only: Pillow reads no pixel data on open.
    Pillow itself refuses very large images on open; the count is then in its message."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            with PILImage.open(file) as image:
                width, height = image.size
    except PILImage.DecompressionBombError as error:
        found = _BOMB.search(str(error))
        return (int(found.group(1)) if found else max_pixels() * 2 + 1), None
    finally:
        file.seek(0)
    return width * height, (width, height)


# --- What is stored: the image and nothing else -----------------------------------------------

# APPn segments a photo needs: JFIF, Exif (orientation, camera), the colour profile, Adobe's
# colour transform. Comments (COM), XMP and any other application segment are dropped.
_KEPT_APP = ((0xE0, b"JFIF\x00"), (0xE1, b"Exif\x00"), (0xE2, b"ICC_PROFILE\x00"), (0xEE, b"Adobe"))


def _kept_app(marker: int, payload: bytes) -> bool:
    return any(marker == m and payload.startswith(p) for m, p in _KEPT_APP)


def clean_jpeg(data: bytes) -> bytes:
    """The JPEG without COM and foreign APP segments, and nothing after its end (EOI)."""
    if not data.startswith(b"\xff\xd8"):
        return data
    out, i, n = [b"\xff\xd8"], 2, len(data)
    while i + 1 < n:
        if data[i] != 0xFF:
            raise ValueError("broken JPEG")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:  # end of image: whatever follows is dropped
            out.append(b"\xff\xd9")
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(data[i : i + 2])
            i += 2
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        end = i + 2 + length
        if marker == 0xDA:  # start of scan: the entropy-coded data runs to the next marker
            while True:
                end = data.find(b"\xff", end)
                if end < 0 or end + 1 >= n:
                    end = n
                    break
                follower = data[end + 1]
                if follower == 0x00 or 0xD0 <= follower <= 0xD7:
                    end += 2
                    continue
                if follower == 0xFF:
                    end += 1
                    continue
                break
            out.append(data[i:end])
        elif marker == 0xFE or (
            0xE0 <= marker <= 0xEF and not _kept_app(marker, data[i + 4 : end])
        ):
            pass  # a comment or foreign metadata
        else:
            out.append(data[i:end])
        i = end
    return b"".join(out)


# Ancillary PNG chunks an image needs; text chunks (tEXt, zTXt, iTXt) and unknown ones go.
_KEPT_PNG = {b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs", b"bKGD", b"cICP"}
_KEPT_PNG |= {b"acTL", b"fcTL", b"fdAT"}  # animation


def clean_png(data: bytes) -> bytes:
    """The PNG without text or unknown ancillary chunks, and nothing after IEND."""
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        return data
    out, i = [signature], len(signature)
    while i + 8 <= len(data):
        length = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        end = i + 12 + length
        if kind[:1].isupper() or kind in _KEPT_PNG:  # critical chunks, and the needed ones
            out.append(data[i:end])
        i = end
        if kind == b"IEND":
            break
    return b"".join(out)


_KEPT_GIF_APPS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")  # the looping of an animation


def _gif_colour_table(flags: int) -> int:
    """The size of the colour table a GIF screen or image descriptor's flags announce."""
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _gif_sub_blocks_end(data: bytes, i: int) -> int:
    """Where a run of GIF data sub-blocks (length byte, bytes…, then 0) ends."""
    while data[i]:
        i += 1 + data[i]
    return i + 1


def clean_gif(data: bytes) -> bytes:
    """The GIF without comments, text and foreign application blocks (XMP…), and nothing
    after its trailer. A file that does not parse is kept as it is (Pillow read it)."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        return data
    try:
        flags = data[10]
        i = 13 + _gif_colour_table(flags)
        out = [data[:i]]
        while data[i] != 0x3B:
            start = i
            if data[i] == 0x2C:  # an image: descriptor, its colour table, its pixels
                flags = data[i + 9]
                i += 10 + _gif_colour_table(flags)
                i = _gif_sub_blocks_end(data, i + 1)
                out.append(data[start:i])
            elif data[i] == 0x21:  # an extension: kept when it is frame timing or looping
                label = data[i + 1]
                i = _gif_sub_blocks_end(data, i + 2)
                app = data[start + 3 : start + 14] if label == 0xFF else b""
                if label == 0xF9 or app in _KEPT_GIF_APPS:
                    out.append(data[start:i])
            else:
                return data
        return b"".join(out) + b";"
    except IndexError:
        return data


_KEPT_WEBP = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP", b"EXIF"}


def clean_webp(data: bytes) -> bytes:
    """The WebP without XMP or unknown chunks, and nothing after its RIFF container."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return data
    end = min(len(data), 8 + int.from_bytes(data[4:8], "little"))
    chunks, i = [], 12
    while i + 8 <= end:
        kind = data[i : i + 4]
        size = int.from_bytes(data[i + 4 : i + 8], "little")
        chunk = data[i : i + 8 + size + (size & 1)]
        if kind == b"VP8X" and size >= 1:
            chunk = chunk[:8] + bytes([chunk[8] & ~0x04]) + chunk[9:]  # no XMP any more
        if kind in _KEPT_WEBP:
            chunks.append(chunk)
        i += 8 + size + (size & 1)
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


# An AVIF is a tree of boxes (ISO base media file format) whose items are found by byte
# offsets (iloc), so nothing may move: what a picture does not need is blanked in place —
# foreign boxes become zero-filled `free` boxes, the data of XMP and other foreign items and
# every byte of `mdat` no kept item points at become zeros, item names become spaces.
_AVIF_TOP = {b"ftyp", b"meta", b"mdat"}
_AVIF_META = {b"hdlr", b"pitm", b"iloc", b"iinf", b"iref", b"iprp", b"idat", b"dinf", b"grpl"}
_AVIF_PROPERTIES = {b"ispe", b"pixi", b"av1C", b"colr", b"pasp", b"clap", b"irot", b"imir"}
_AVIF_PROPERTIES |= {b"a1op", b"a1lx", b"lsel", b"auxC", b"clli", b"mdcv", b"cclv", b"amve"}
_AVIF_ITEMS = {b"av01", b"grid", b"iden", b"iovl", b"Exif"}  # XMP is a "mime" item: blanked


def _uint(data: bytes | bytearray, at: int, size: int) -> int:
    if at + size > len(data):
        raise ValueError("box runs past the file")
    return int.from_bytes(data[at : at + size], "big")


def _boxes(data: bytearray, start: int, end: int, top: bool = False):
    """(type, start, body start, end) of each box from start to end; at the top level,
    bytes that do not make a box end the file."""
    while start + 8 <= end if top else start < end:
        size, kind, body = _uint(data, start, 4), bytes(data[start + 4 : start + 8]), start + 8
        if size == 1:
            size, body = _uint(data, body, 8), body + 8
        elif size == 0:
            size = end - start
        if size < body - start or start + size > end:
            if top:
                return
            raise ValueError("broken box")
        yield kind, start, body, start + size
        start += size


def _blank_box(data: bytearray, start: int, body: int, end: int) -> None:
    data[start + 4 : start + 8] = b"free"
    data[body:end] = bytes(end - body)


def _avif_items(data: bytearray, body: int, end: int) -> set[int]:
    """The IDs of the items a picture needs, from `iinf`; every item's name is blanked."""
    version = data[body]
    at = body + 4 + (2 if version == 0 else 4)
    kept = set()
    for kind, _start, entry, entry_end in _boxes(data, at, end):
        if kind != b"infe" or data[entry] < 2:
            raise ValueError("not an AVIF item entry")
        id_size = 2 if data[entry] == 2 else 4
        item_id = _uint(data, entry + 4, id_size)
        type_at = entry + 4 + id_size + 2
        if bytes(data[type_at : type_at + 4]) in _AVIF_ITEMS:
            kept.add(item_id)
        name_end = data.find(b"\x00", type_at + 4, entry_end)
        if name_end < 0:
            raise ValueError("item name has no end")
        data[type_at + 4 : name_end] = b" " * (name_end - type_at - 4)
    return kept


def _avif_extents(data: bytearray, body: int, kept: set[int], idat: int):
    """(start, end, kept) of each extent `iloc` lists, as offsets in the file."""
    version, at = data[body], body + 4
    offset_size, length_size = data[at] >> 4, data[at] & 15
    base_size, index_size = data[at + 1] >> 4, (data[at + 1] & 15 if version in (1, 2) else 0)
    wide = 4 if version == 2 else 2
    count, at = _uint(data, at + 2, wide), at + 2 + wide
    for _ in range(count):
        item_id, at = _uint(data, at, wide), at + wide
        method = 0
        if version in (1, 2):
            method, at = _uint(data, at, 2) & 15, at + 2
        at += 2  # data reference
        base, at = _uint(data, at, base_size), at + base_size
        extents, at = _uint(data, at, 2), at + 2
        for _ in range(extents):
            at += index_size
            offset, at = _uint(data, at, offset_size), at + offset_size
            length, at = _uint(data, at, length_size), at + length_size
            if method == 2 or length == 0 or (method == 1 and not idat):
                raise ValueError("item data by reference")
            start = base + offset + (idat if method == 1 else 0)
            yield start, start + length, item_id in kept


def clean_avif(data: bytes) -> bytes:
    """The AVIF with only what its picture needs (see above), and nothing after its boxes."""
    if data[4:8] != b"ftyp":
        return data
    out = bytearray(data)
    boxes = list(_boxes(out, 0, len(out), top=True))
    kinds = [kind for kind, *_ in boxes]
    if kinds.count(b"meta") != 1 or b"moov" in kinds:
        raise ValueError("not a still AVIF")  # an image sequence is not taken as a photo
    meta = next(box for box in boxes if box[0] == b"meta")
    children = list(_boxes(out, meta[2] + 4, meta[3]))
    idat = next((body for kind, _, body, _ in children if kind == b"idat"), 0)
    kept, extents = set(), []
    for kind, start, body, end in children:
        if kind == b"iinf":
            kept = _avif_items(out, body, end)
        elif kind == b"iprp":
            for sub, _, sub_body, sub_end in _boxes(out, body, end):
                if sub == b"ipco":
                    for prop in _boxes(out, sub_body, sub_end):
                        if prop[0] not in _AVIF_PROPERTIES:
                            _blank_box(out, *prop[1:])
        elif kind not in _AVIF_META:
            _blank_box(out, start, body, end)
    iloc = next((box for box in children if box[0] == b"iloc"), None)
    if iloc is not None:
        extents = list(_avif_extents(out, iloc[2], kept, idat))
    for kind, start, body, end in boxes:
        if kind == b"mdat":  # zero all but what kept items point at
            covered = sorted((max(s, body), min(e, end)) for s, e, k in extents if k)
            covered = [(s, e) for s, e in covered if s < e]
            at = body
            for s, e in covered + [(end, end)]:
                if s > at:
                    out[at:s] = bytes(s - at)
                at = max(at, e)
        elif kind not in _AVIF_TOP:
            _blank_box(out, start, body, end)
    for start, end, keep in extents:
        if not keep:
            if end > len(out):
                raise ValueError("item data past the file")
            out[start:end] = bytes(end - start)
    return bytes(out[: boxes[-1][3]])


_CLEANERS = {"jpeg": clean_jpeg, "png": clean_png, "gif": clean_gif, "webp": clean_webp}
_CLEANERS["avif"] = clean_avif


def safe_name(name: str, format_name: str) -> str:
    """One extension, the real type's: `x.php.jpg` → `x-php.jpg`, `Ảnh bão số 3.JPEG` →
    `anh-bao-so-3.jpg`."""
    base = PurePath(name or "").name
    stem = base.rsplit(".", 1)[0] if "." in base else base
    slug = vi_slug(stem.replace(".", "-"), max_length=80) or "anh"
    return f"{slug}.{EXTENSION_OF.get(format_name, format_name)}"


def stored_file(upload: UploadedFile, format_name: str) -> SimpleUploadedFile:
    """The upload as it is kept: cleaned bytes under a safe name."""
    upload.seek(0)
    data = upload.read()
    if format_name in _CLEANERS:
        data = _CLEANERS[format_name](data)
    content_type = MIME_OF.get(format_name, getattr(upload, "content_type", None))
    stored = SimpleUploadedFile(safe_name(upload.name, format_name), data, content_type)
    stored.original_name = upload.name  # the camera's name, which titles must not repeat
    return stored


def _real_type_of(upload) -> str:
    """What an uploaded file really holds, read from its start; the file is left rewound."""
    upload.seek(0)
    kind = real_type(upload.read(512))
    upload.seek(0)
    return kind


class PhotoFileField(WagtailImageField):
    """Wagtail's image field, with the checks above and Vietnamese messages."""

    def to_python(self, data):
        try:
            return super().to_python(data)
        except ValidationError as error:
            if error.code != "invalid_image" or data is None or not hasattr(data, "read"):
                raise
            kind = _real_type_of(data)
            raise ValidationError(
                f"Tệp “{data.name}” không phải ảnh (nội dung là {kind}). "
                f"Chỉ nhận ảnh {self.supported_formats_text}.",
                code="invalid_image",
            ) from None

    def check_image_file_format(self, f):
        extension = PurePath(f.name).suffix.lower()[1:]
        claimed = "jpeg" if extension == "jpg" else extension
        if extension not in self.allowed_image_extensions or claimed != f.image.format_name:
            kind = _real_type_of(f)
            raise ValidationError(
                f"Tệp “{f.name}” không phải ảnh {extension.upper() or 'hợp lệ'}: nội dung là "
                f"{kind}. Chỉ nhận ảnh {self.supported_formats_text}.",
                code="invalid_image_known_format",
            )

    def check_image_pixel_size(self, f):
        pixels, size = header_pixels(f)
        if pixels > max_pixels():
            raise ValidationError(
                too_many_pixels_message(pixels, size), code="file_too_many_pixels"
            )
        # Its library thumbnail is made in this request (no task worker): within this
        # worker's budget of large decodes, held until the request ends (photo_budget).
        if not runs_in_worker() and not photo_budget.hold(pixels):
            raise ValidationError(photo_budget.busy_message(), code="decoder_busy")

    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        if isinstance(f, UploadedFile) and hasattr(f, "image"):  # a new upload
            try:
                return stored_file(f, f.image.format_name)
            except ValueError:
                raise ValidationError(
                    f"Tệp “{f.name}” là ảnh {f.image.format_name.upper()} hỏng hoặc có cấu trúc "
                    "lạ nên không lưu được. Hãy xuất lại ảnh từ máy ảnh hoặc phần mềm chỉnh ảnh.",
                    code="invalid_image",
                ) from None
        return f
