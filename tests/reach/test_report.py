"""The external-information report for a period with known readers: the exact figures on the
page, in the .xlsx workbook (read back with openpyxl) and in the PDF (its text extracted),
Vietnamese intact. The readers are real beacons (addresses of known countries), counted and
rolled up as in production."""

import io
from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.factories import ArticlePageFactory, UserFactory
from tests.reach.conftest import beacon
from tests.staff import client_for
from toasoan.readership import counting

pytestmark = pytest.mark.django_db

VN = ["1.52.0.1", "1.52.0.2", "1.52.0.3", "14.160.0.1"]
US, US2, GB, GB2, JP = "8.8.8.8", "8.8.4.4", "81.2.69.142", "81.2.69.143", "133.1.1.1"
SOURCE_TITLE = "Hội An đón đoàn khách quốc tế đầu tiên sau mùa mưa lũ"
ENGLISH_TITLE = "Hoi An welcomes its first international visitors after the floods"


def at(*args):
    return time_machine.travel(timezone.make_aware(datetime(*args)), tick=True)


@pytest.fixture
def march(client, section, en_section):
    """March 2026: two Vietnamese stories, the English translation of one, readers from
    Việt Nam, the US, the UK and Japan; plus an English story of February and an April view."""
    with at(2026, 2, 20, 9):
        other_en = ArticlePageFactory(parent=en_section, title="Tam Ky's new riverside park")
    with at(2026, 3, 2, 8):
        source = ArticlePageFactory(parent=section, title=SOURCE_TITLE)
    with at(2026, 3, 5, 8):
        second = ArticlePageFactory(parent=section, title="Đường ven biển Điện Bàn thông xe")
    with at(2026, 3, 10, 8):
        english = ArticlePageFactory(
            parent=en_section, title=ENGLISH_TITLE, translation_key=source.translation_key
        )
    with at(2026, 3, 12, 10):
        for address in (VN[0], VN[1], VN[2], US):
            beacon(client, source, address)
        beacon(client, source, VN[0])  # the same reader again: not counted
        beacon(client, second, VN[0])  # a second story, the same visitor today
        for address in (GB, GB2, US2, VN[3]):
            beacon(client, english, address)
        beacon(client, other_en, JP)
    with at(2026, 4, 1, 10):
        beacon(client, source, VN[0])  # outside the period
        counting.flush()
    return source, english


def chief():
    return client_for(UserFactory(is_superuser=True))


def test_report_page_xlsx_and_pdf_show_the_same_exact_figures(client, march):
    client = chief()
    url = "/admin/ban-doc/bao-cao-doi-ngoai/?loai=thang&gia-tri=2026-3"
    html = client.get(url).content.decode()
    assert "Báo cáo thông tin đối ngoại" in html and "01/03/2026 – 31/03/2026" in html
    vi_row = html.split('data-edition="vi"')[1].split("</tr>")[0]
    en_row = html.split('data-edition="en"')[1].split("</tr>")[0]
    all_row = html.split('data-edition="all"')[1].split("</tr>")[0]
    cells = lambda row: [c.split("<")[0] for c in row.split('class="num">')[1:]]  # noqa: E731
    # published, translations, views, visitors, views abroad, share abroad
    assert cells(vi_row) == ["2", "0", "5", "4", "1", "20,0 %"]
    assert cells(en_row) == ["1", "1", "5", "5", "4", "80,0 %"]
    assert cells(all_row) == ["3", "1", "10", "9", "5", "50,0 %"]
    assert ENGLISH_TITLE in html and SOURCE_TITLE in html  # the translation and its source
    english_part = html.split("Ấn bản: Tiếng Anh")[1] if "Ấn bản: Tiếng Anh" in html else html
    assert '<th scope="row">Anh</th><td class="num">2</td>' in english_part
    assert '<th scope="row">03/2026</th><td class="num">5</td><td class="num">4</td>' in html
    assert 'role="img"' in html and "<title" in html  # the charts, accessible

    from openpyxl import load_workbook

    response = client.get(url + "&dinh-dang=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    overview = [list(r) for r in book["Tổng quan"].iter_rows(values_only=True)]
    assert overview[0] == ["Báo cáo thông tin đối ngoại"] + [None] * 6
    assert ["Tiếng Việt", 2, 0, 5, 4, 1, "20,0 %"] in overview
    assert ["Toàn báo", 3, 1, 10, 9, 5, "50,0 %"] in overview
    countries = list(book["Bạn đọc theo quốc gia"].iter_rows(values_only=True))
    english = [r[1:] for r in countries if r[0] == "Tiếng Anh"]
    assert english == [("Anh", 2, 2), ("Nhật Bản", 1, 1), ("Hoa Kỳ", 1, 1), ("Việt Nam", 1, 1)]
    top = list(book["Bài được đọc nhiều ở nước ngoài"].iter_rows(values_only=True))
    assert ("Tiếng Anh", ENGLISH_TITLE, 3, 4) in top
    assert ("Tiếng Việt", SOURCE_TITLE, 1, 4) in top
    assert ("Tiếng Anh", ENGLISH_TITLE, SOURCE_TITLE) in list(
        book["Bản dịch"].iter_rows(values_only=True)
    )

    from pypdf import PdfReader

    response = client.get(url + "&dinh-dang=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Báo cáo thông tin đối ngoại" in flat
    assert "Toàn báo 3 1 10 9 5 50,0 %" in flat, flat[:1500]
    assert "Tiếng Việt 2 0 5 4 1 20,0 %" in flat
    assert SOURCE_TITLE in flat and "Nhật Bản" in flat and "Việt Nam" in flat


def test_report_in_english_and_periods(client, march):
    client = chief()
    menu = client.get("/admin/").content.decode()
    assert '"url": "/admin/ban-doc/"' in menu  # "Bạn đọc" in the main menu
    assert '"url": "/admin/ban-doc/bao-cao-doi-ngoai/"' in menu  # Báo cáo → the report
    html = client.get(
        "/admin/ban-doc/bao-cao-doi-ngoai/?loai=nam-den-nam&gia-tri=2017&den=2026&ngon-ngu=en"
    ).content.decode()
    assert "External information report" in html and "01/01/2017 – 31/12/2026" in html
    all_row = html.split('data-edition="all"')[1].split("</tr>")[0]
    assert '<td class="num">11</td>' in all_row  # the April view too
    bad = client.get("/admin/ban-doc/bao-cao-doi-ngoai/?loai=thang&gia-tri=2026-13")
    assert "Kỳ báo cáo không hợp lệ" in bad.content.decode()


def test_report_is_for_the_whole_paper_only(client, march, section):
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    from django.contrib.auth.models import Group

    desk = Group.objects.create(name="Ban Thời sự (thử)")
    GroupPagePermission.objects.create(
        group=desk, page=section, permission=Permission.objects.get(codename="change_page")
    )
    editor.groups.add(desk)
    client = client_for(editor)
    menu = client.get("/admin/").content.decode()
    assert '"url": "/admin/ban-doc/"' in menu
    assert '"url": "/admin/ban-doc/bao-cao-doi-ngoai/"' not in menu
    refused = client.get("/admin/ban-doc/bao-cao-doi-ngoai/")  # Wagtail: back, with a message
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    with at(2026, 3, 12, 12):
        html = client.get("/admin/ban-doc/?ky=hom-nay").content.decode()
    assert "chuyên mục mình phụ trách" in html
    assert SOURCE_TITLE in html and ENGLISH_TITLE not in html  # their section only
