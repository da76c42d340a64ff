"""Page PDFs → e-paper: refusals leave the issue unchanged; the build renders pages, reads their
text for folded search, and the reader shows them with links to the web stories."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.printing.conftest import sample_pdf
from tests.staff import client_for
from toasoan.printing.models import EpaperState, PageState
from toasoan.printing.planning import place_story
from toasoan.printing.samples import encrypted_pdf

pytestmark = pytest.mark.django_db


def _pdf(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _upload(client, issue, files):
    return client.post(f"/admin/bao-in/so/{issue.pk}/pdf/", {"pdfs": files}, follow=True)


def _snapshot(issue):
    issue.refresh_from_db()
    return (
        issue.epaper_state,
        issue.epaper_done,
        [(p.pdf.name, p.image_page, p.text) for p in issue.pages.order_by("number")],
    )


@pytest.mark.parametrize(
    "bad,reason",
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage", "bị hỏng"),
        (b"<html>not a pdf</html>", "không phải tệp PDF"),
        ("encrypted", "được mã hoá"),
        (b"", "không phải tệp PDF"),
    ],
)
def test_a_malformed_or_encrypted_pdf_is_refused_and_nothing_changes(newsroom, issue, bad, reason):
    issue.pages.update(state=PageState.APPROVED)
    before = _snapshot(issue)
    bad = encrypted_pdf() if bad == "encrypted" else bad
    # Good pages first: the bad last file must still stop them all.
    files = [
        _pdf(sample_pdf(1), "trang-01.pdf"),
        _pdf(sample_pdf(2), "trang-02.pdf"),
        _pdf(bad, "trang-03.pdf"),
    ]
    answer = _upload(client_for(newsroom["people"]["tkts"]), issue, files)
    html = answer.content.decode()
    assert "Không nhận PDF: “trang-03.pdf”" in html and reason in html
    assert "Số báo không thay đổi." in html
    assert _snapshot(issue) == before
    assert not default_storage.exists("bao-in/pdf")


def test_a_multi_page_pdf_or_unapproved_pages_are_refused(newsroom, issue):
    client = client_for(newsroom["people"]["tkts"])
    answer = _upload(client, issue, [_pdf(sample_pdf(1), "trang-01.pdf")])
    assert "Chỉ tải PDF khi mọi trang đã được TBT duyệt" in answer.content.decode()
    issue.pages.update(state=PageState.APPROVED)
    from fpdf import FPDF

    two = FPDF()
    two.add_page()
    two.add_page()
    answer = _upload(client, issue, [_pdf(bytes(two.output()), "trang-01.pdf")])
    assert "có 2 trang: mỗi tệp phải là đúng một trang báo" in answer.content.decode()
    assert issue.pages.get(number=1).pdf.name == ""


def test_the_epaper_is_built_searched_and_read(
    newsroom, stories, issue, client, django_capture_on_commit_callbacks
):
    place_story(issue.pages.get(number=1), stories[0])
    issue.pages.update(state=PageState.APPROVED)
    files = [
        _pdf(
            sample_pdf(n, "Thông tin đối ngoại" if n == 1 else "Giá lúa tăng"), f"trang-{n:02d}.pdf"
        )
        for n in range(1, 5)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        answer = _upload(client_for(newsroom["people"]["tkts"]), issue, files)
    assert "Đã nhận PDF 4 trang" in answer.content.decode()
    issue.refresh_from_db()
    assert issue.epaper_state == EpaperState.READY and issue.epaper_done == 4
    first = issue.pages.get(number=1)
    assert "Thông tin đối ngoại" in first.text
    for name in (first.image_thumb, first.image_page, first.image_zoom):
        assert default_storage.exists(name)
    assert default_storage.size(first.image_zoom) > default_storage.size(first.image_thumb)

    found = client.get("/search/bao-in/", {"q": "doi ngoai"}).content.decode()
    assert "trang 1" in found and "Thông tin đối ngoại" in found
    assert "trang 2" not in found
    assert (
        "Không có trang báo in nào"
        in client.get("/search/bao-in/", {"q": "ngoai doi xyz"}).content.decode()
    )

    reader = client.get("/bao-in/2026-12-08/").content.decode()
    assert reader.count('class="epaper-sheet"') == 4
    assert f'href="{stories[0].url}"' in reader  # page 1 links to its web story
    calendar = client.get("/bao-in/thang/2026-12/").content.decode()
    assert 'href="/bao-in/2026-12-08/"' in calendar
    assert client.get("/bao-in/2026-12-09/").status_code == 404
    for wrong in ("1-1", "0-5", "9999-12", "2026-13"):  # a typed address: not found, never a 500
        assert client.get(f"/bao-in/thang/{wrong}/").status_code == 404, wrong


@pytest.mark.usefixtures("one_rate_window")
def test_epaper_searches_count_against_the_site_search_limit(client, settings, db):
    settings.SEARCH_RATE_LIMIT = (3, 60)
    assert client.get("/search/", {"q": "doi ngoai"}).status_code == 200
    for _ in range(2):
        assert client.get("/search/bao-in/", {"q": "doi ngoai"}).status_code == 200
    response = client.get("/search/bao-in/", {"q": "doi ngoai"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Bạn đang tìm quá nhanh" in response.content.decode()
    assert client.get("/search/", {"q": "doi ngoai"}).status_code == 429
    # Another reader is not held back, and the empty search page is never refused.
    assert client.get("/search/bao-in/", {"q": "x"}, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/search/bao-in/").status_code == 200


def test_a_corrected_page_gets_new_image_addresses_and_only_it_is_rebuilt(
    newsroom, issue, client, django_capture_on_commit_callbacks
):
    """Page images are served for a week (nginx `expires 7d`): a correction must change their
    addresses, or readers keep the wrong page."""
    issue.pages.update(state=PageState.APPROVED)
    tkts = client_for(newsroom["people"]["tkts"])
    files = [_pdf(sample_pdf(n, "Giá lúa tăng"), f"trang-{n:02d}.pdf") for n in range(1, 5)]
    with django_capture_on_commit_callbacks(execute=True):
        _upload(tkts, issue, files)
    before = {p.number: p for p in issue.pages.all()}
    old_names = (before[1].image_thumb, before[1].image_page, before[1].image_zoom)
    assert "trang-01-2200-" in old_names[2]

    fixed = _pdf(sample_pdf(1, "Giá lúa giảm"), "trang-01.pdf")
    with django_capture_on_commit_callbacks(execute=False) as build:
        answer = _upload(tkts, issue, [fixed])
    assert "Đã nhận PDF 1 trang" in answer.content.decode()
    # While the page is rebuilt, readers still read the issue, with the old page.
    reader = client.get("/bao-in/2026-12-08/").content.decode()
    assert reader.count('class="epaper-sheet"') == 4 and old_names[1] in reader
    for callback in build:
        callback()

    after = {p.number: p for p in issue.pages.all()}
    new_names = (after[1].image_thumb, after[1].image_page, after[1].image_zoom)
    assert all(new != old for new, old in zip(new_names, old_names, strict=True))
    assert all(default_storage.exists(name) for name in new_names)
    assert not any(default_storage.exists(name) for name in old_names)
    assert after[2].image_page == before[2].image_page  # not rebuilt
    assert not default_storage.exists(before[1].pdf.name)  # the replaced PDF is not kept
    issue.refresh_from_db()
    assert issue.epaper_state == EpaperState.READY and issue.epaper_done == 4
    reader = client.get("/bao-in/2026-12-08/").content.decode()
    assert new_names[1] in reader and old_names[1] not in reader
    found = client.get("/search/bao-in/", {"q": "gia lua giam"}).content.decode()
    assert "trang 1" in found
