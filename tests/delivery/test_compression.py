"""Pages, feeds and JSON leave the app compressed for browsers; photos, PDFs and downloads
leave it as they are (already compressed, and their length and byte ranges stay true)."""

import gzip

from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from toasoan.delivery.compression import TextGZipMiddleware

BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


def _answer(response, **headers):
    request = RequestFactory().get("/", headers=headers)
    return TextGZipMiddleware(lambda request: response)(request)


def test_pages_feeds_and_json_are_compressed_for_browsers_only():
    page = "<!doctype html><title>Tin nóng</title>" + "<p>Mưa lớn gây ngập sâu.</p>" * 200
    for kind in ("text/html; charset=utf-8", "application/rss+xml", "application/json"):
        answer = _answer(HttpResponse(page, content_type=kind), **BROWSER)
        assert answer["Content-Encoding"] == "gzip", kind
        assert gzip.decompress(answer.content).decode() == page
        assert "Accept-Encoding" in answer["Vary"]
    plain = _answer(HttpResponse(page))
    assert not plain.has_header("Content-Encoding") and plain.content.decode() == page


def test_photos_and_pdfs_are_sent_as_they_are(tmp_path):
    pdf = tmp_path / "bao-in-trang-1.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"0" * 5000)
    answer = _answer(FileResponse(pdf.open("rb"), content_type="application/pdf"), **BROWSER)
    assert not answer.has_header("Content-Encoding") and answer["Content-Length"] == "5009"
    answer.file_to_stream.close()
    photo = _answer(HttpResponse(b"\xff\xd8" + b"1" * 5000, content_type="image/jpeg"), **BROWSER)
    assert not photo.has_header("Content-Encoding")
