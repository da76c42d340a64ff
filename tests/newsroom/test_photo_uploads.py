"""Photo uploads within a budget (toasoan.newsroom.photo_files): the pixel count read from the
header before anything is decoded, refused files named for what they are, and what is stored
kept clean of anything that is not the image."""

import io
import json
import subprocess
import sys
import time
import zlib

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

from tests.operations.helpers import ROOT
from tests.staff import client_for
from toasoan.newsroom.models import Photo
from toasoan.newsroom.photo_files import clean_gif, clean_jpeg, clean_png, clean_webp, safe_name

PAYLOAD = b'<html><script>alert("xss")</script><?php system($_GET["c"]); ?></html>'


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG of width × height whose pixels compress to almost nothing (the size of
    the 352 KB file from the issue, without spending seconds making it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * width
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def _jpeg(width=64, height=48, comment: bytes = b"") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "JPEG", comment=comment)
    return out.getvalue()


def _polyglot() -> bytes:
    """A real JPEG with an HTML/PHP payload in a comment, in an APP segment and after its end."""
    data = _jpeg(comment=PAYLOAD)
    app9 = b"\xff\xe9" + (len(PAYLOAD) + 2).to_bytes(2, "big") + PAYLOAD
    return data[:2] + app9 + data[2:] + PAYLOAD


def _form(name: str, data: bytes):
    form_class = get_image_form(Photo)
    upload = SimpleUploadedFile(name, data)
    return form_class(
        data={
            "title": "",
            "caption": "Ảnh thử",
            "credit": "V.A",
            "collection": Collection.get_first_root_node().pk,
        },
        files={"file": upload},
        user=None,
    )


def _segments(data: bytes) -> list[int]:
    """The JPEG markers before the first scan."""
    markers, i = [], 2
    while data[i + 1] != 0xDA:
        markers.append(data[i + 1])
        i += 2 + int.from_bytes(data[i + 2 : i + 4], "big")
    return markers


@pytest.mark.django_db
def test_an_11000_pixel_square_png_is_refused_from_its_header_with_the_limit():
    form = _form("bao.png", _png_header_only(11_000, 11_000))
    started = time.monotonic()
    assert not form.is_valid()
    seconds = time.monotonic() - started
    message = form.errors["file"][0]
    assert "11000 × 11000 = 121.000.000 điểm ảnh" in message
    assert "tối đa 40.000.000 điểm ảnh (40 megapixel)" in message
    assert seconds < 5  # decoding it alone takes several seconds; the bench has the real figure


@pytest.mark.django_db
def test_a_decompression_bomb_is_refused_with_its_real_pixel_count():
    form = _form("bom.png", _png_header_only(20_000, 10_000))  # over Pillow's own limit
    assert not form.is_valid()
    assert "200.000.000 điểm ảnh" in form.errors["file"][0]


def test_refusing_a_huge_png_costs_no_memory():
    """In a fresh process, so the peak memory is this check's own."""
    code = (
        "import os, json, resource, django, time\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'toasoan.settings'\n"
        "django.setup()\n"
        "from tests.newsroom.test_photo_uploads import _png_header_only\n"
        "from toasoan.newsroom.photo_files import PhotoFileField\n"
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from django.core.exceptions import ValidationError\n"
        "data = _png_header_only(11000, 11000)\n"
        "field = PhotoFileField()\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "started = time.monotonic()\n"
        "try:\n"
        "    field.clean(SimpleUploadedFile('bao.png', data))\n"
        "    refused = ''\n"
        "except ValidationError as e:\n"
        "    refused = e.messages[0]\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'grew_kb': peak - before,\n"
        "                  'seconds': time.monotonic() - started, 'size': len(data),\n"
        "                  'refused': refused}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(figures)
    assert "megapixel" in figures["refused"]
    assert figures["grew_kb"] <= 100 * 1024  # decoding it would take ~360 MB
    assert figures["seconds"] <= 1.0


@pytest.mark.django_db
def test_a_40_megapixel_photo_is_accepted():
    form = _form("toan-canh.jpg", _jpeg(8000, 5000))
    assert form.is_valid(), form.errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "named"),
    [
        (
            "trang.jpg",
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "HTML",
        ),
        ("ve.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "SVG"),
        ("anh.png", _jpeg(), "JPEG"),
        ("tai-lieu.jpg", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "PDF"),
    ],
)
def test_a_refused_file_is_named_for_what_it_really_is(name, data, named):
    form = _form(name, data)
    assert not form.is_valid()
    message = form.errors["file"][0]
    assert f"nội dung là {named}" in message, message
    if named != "SVG":
        assert "svg" not in message.lower()


def test_polyglot_jpeg_is_cleaned_to_the_image_alone():
    dirty = _polyglot()
    clean = clean_jpeg(dirty)
    assert PAYLOAD not in clean and b"<html" not in clean and b"<?php" not in clean
    assert 0xFE not in _segments(clean) and 0xE9 not in _segments(clean)
    assert Image.open(io.BytesIO(clean)).size == (64, 48)
    assert clean.endswith(b"\xff\xd9")


def test_png_text_chunks_and_trailing_bytes_are_dropped():
    out = io.BytesIO()
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", PAYLOAD.decode())
    Image.new("RGB", (20, 10)).save(out, "PNG", pnginfo=info)
    clean = clean_png(out.getvalue() + PAYLOAD)
    assert PAYLOAD not in clean
    assert Image.open(io.BytesIO(clean)).size == (20, 10)


def test_gif_comments_foreign_blocks_and_trailing_bytes_are_dropped():
    frames = [Image.new("RGB", (16, 8), colour) for colour in ((200, 0, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0, duration=100,
                   comment=PAYLOAD)  # fmt: skip
    data = out.getvalue()
    xmp = b"\x21\xff\x0bXMP DataXMP" + bytes([len(PAYLOAD[:200])]) + PAYLOAD[:200] + b"\x00"
    dirty = data[:-1] + xmp + b";" + PAYLOAD  # an XMP block before the trailer, bytes after it
    clean = clean_gif(dirty)
    assert PAYLOAD[:40] not in clean and b"XMP DataXMP" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (16, 8) and image.n_frames == 2 and image.info.get("loop") == 0
        assert "comment" not in image.info


def test_webp_xmp_unknown_chunks_and_trailing_bytes_are_dropped():
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 120, 200)).save(out, "WEBP", xmp=PAYLOAD, exif=b"Exif\x00\x00")
    data = out.getvalue()
    odd = b"ZZZZ" + len(PAYLOAD).to_bytes(4, "little") + PAYLOAD + b"\x00" * (len(PAYLOAD) & 1)
    body = data[8:] + odd
    dirty = b"RIFF" + len(body).to_bytes(4, "little") + body + PAYLOAD
    clean = clean_webp(dirty)
    assert PAYLOAD not in clean
    assert int.from_bytes(clean[4:8], "little") == len(clean) - 8
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (20, 10) and "xmp" not in image.info
        image.load()


def test_stored_names_keep_one_safe_extension():
    assert safe_name("x.php.jpg", "jpeg") == "x-php.jpg"
    assert safe_name("Ảnh bão số 3.JPEG", "jpeg") == "anh-bao-so-3.jpg"
    assert safe_name("shell.phtml.png", "png") == "shell-phtml.png"
    assert safe_name(".jpg", "jpeg") == "anh.jpg"


def _uploaded_by_admin(name: str, data: bytes, content_type: str) -> Photo:
    """The photo as the image library's upload form stores it."""
    admin = get_user_model().objects.create_superuser("quantri_thu", "q@example.vn", "x")
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    response = client_for(admin).post(
        "/admin/images/add/",
        {"title": "", "caption": "Ảnh thử", "credit": "V.A", "file": upload,
         "collection": Collection.get_first_root_node().pk},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    return Photo.objects.get()


@pytest.mark.django_db
def test_polyglot_upload_through_the_admin_is_stored_and_rendered_clean():
    photo = _uploaded_by_admin("x.php.jpg", _polyglot(), "image/jpeg")
    assert photo.file.name.endswith("/x-php.jpg")
    original = photo.file.read()
    assert PAYLOAD not in original and 0xFE not in _segments(original)
    rendition = photo.get_rendition("width-40")
    made = rendition.file.read()
    assert PAYLOAD not in made and 0xFE not in _segments(made)


def _avif_with_payloads() -> bytes:
    """A real AVIF with the payload as XMP, in a top-level box, in an unreferenced stretch of
    its media data, in an item's name and after its last box."""
    out = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 120, 200)).save(out, "AVIF", xmp=PAYLOAD, quality=90)
    data = bytearray(out.getvalue())
    name_at = data.find(b"Color")  # the picture item's name, as libavif writes it
    data[name_at : name_at + 5] = b"<?ph>"
    uuid = (8 + len(PAYLOAD)).to_bytes(4, "big") + b"uuid" + PAYLOAD
    return bytes(data) + uuid + PAYLOAD


def test_avif_xmp_foreign_boxes_names_and_trailing_bytes_are_blanked():
    from toasoan.newsroom.photo_files import clean_avif

    dirty = _avif_with_payloads()
    with Image.open(io.BytesIO(dirty)) as image:
        before = image.convert("RGB").tobytes()
    clean = clean_avif(dirty)
    assert PAYLOAD[:12] not in clean and b"<?ph" not in clean and b"<script" not in clean
    with Image.open(io.BytesIO(clean)) as image:
        assert image.size == (20, 10) and not image.info.get("xmp", b"").strip(b"\0")
        assert image.convert("RGB").tobytes() == before  # the same picture, not re-encoded


@pytest.mark.django_db
def test_avif_upload_through_the_admin_is_stored_clean():
    photo = _uploaded_by_admin("anh.php.avif", _avif_with_payloads(), "image/avif")
    assert photo.file.name.endswith("/anh-php.avif")
    assert PAYLOAD[:12] not in photo.file.read()


@pytest.mark.django_db
def test_an_avif_the_cleaner_cannot_vouch_for_is_refused_with_a_message():
    out = io.BytesIO()
    Image.new("RGB", (20, 10)).save(out, "AVIF")
    moov = (8 + len(PAYLOAD)).to_bytes(4, "big") + b"moov" + PAYLOAD  # a movie's box
    form = _form("dong.avif", out.getvalue() + moov)
    assert not form.is_valid()
    assert "AVIF hỏng hoặc có cấu trúc lạ" in str(form.errors["file"])
