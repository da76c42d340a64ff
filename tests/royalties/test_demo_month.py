"""The issue's end-to-end check: a month of demo stories graded through the screens, locked,
exported as the payment workbook and read back."""

import io
from datetime import timedelta
from decimal import Decimal
from html import escape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from tests.staff import client_for
from toasoan.newsroom.models import PenName
from toasoan.royalties import access, grading, ledger, periods
from toasoan.royalties.demo import EXAMPLE_NAME
from toasoan.royalties.models import Regulation, RoyaltyMonth

pytestmark = pytest.mark.django_db

BASE = "/admin/nhuan-but/"


def share_rows(story) -> dict:
    data = {}
    shares = grading.suggested_shares(story) or [  # e.g. an edition's story with no byline
        grading.ShareInput(PenName.objects.get(name="ĐÔNG HÀ"), "dich", Decimal(100))
    ]
    data["shares-TOTAL_FORMS"], data["shares-INITIAL_FORMS"] = str(len(shares)), str(len(shares))
    for i, share in enumerate(shares):
        data[f"shares-{i}-pen_name"] = share.pen_name.pk
        data[f"shares-{i}-role"] = share.role
        data[f"shares-{i}-percent"] = str(share.percent)
    return data


def test_a_month_of_demo_stories_is_graded_locked_exported_and_read_back(time_machine):
    call_command("load_demo", no_renditions=True, stdout=io.StringIO())
    users = get_user_model().objects
    regulation = Regulation.objects.get(name=EXAMPLE_NAME)
    assert regulation.is_example and regulation.genres.count() >= 8

    # The demo already shows a ledger: last month locked, this month open, capped, adjusted.
    today = timezone.localdate()
    month = periods.get_month(today)
    last = RoyaltyMonth.objects.get(month=periods.first_of_month(month.month - timedelta(days=1)))
    assert last.is_locked and last.lines.exists()
    assert month.fund_cap and month.adjustments.count() == 1

    # The editor-in-chief grades every remaining story of this month from the queue.
    chief = client_for(users.get(username="tongbientap"))
    queue = chief.get(f"{BASE}cho-cham/?thang={month.key}").content.decode()
    remaining = list(
        grading.ungraded_stories().filter(
            first_published_at__date__gte=month.month,
            first_published_at__date__lt=periods.next_month(month.month),
        )
    )
    assert remaining and all(escape(story.title) in queue for story in remaining)
    for n, story in enumerate(remaining):
        genre = grading.suggested_genre(story, regulation) or regulation.genres.first()
        assert chief.get(f"{BASE}cham/{story.pk}/").status_code == 200
        data = {
            "month": month.pk,
            "genre": genre.pk,
            "points": str(genre.min_points + n % 3),
            "note": "",
            "shares-MIN_NUM_FORMS": "0",
            "shares-MAX_NUM_FORMS": "20",
            **share_rows(story),
        }
        response = chief.post(f"{BASE}cham/{story.pk}/", data)
        assert response.status_code == 302, response.content.decode()[-3000:]
    queue = chief.get(f"{BASE}cho-cham/?thang={month.key}").content.decode()
    assert "0 tác phẩm đã xuất bản chưa được chấm" in queue
    assert "Không còn tác phẩm nào chờ chấm." in queue

    # On the first day of next month it is approved and locked.
    time_machine.move_to(timezone.localtime() + timedelta(days=32 - today.day), tick=False)
    chief = client_for(users.get(username="tongbientap"))
    response = chief.post(f"{BASE}{month.key}/khoa-so/", follow=True)
    assert f"Đã duyệt và khoá sổ kỳ {month.label}" in response.content.decode()
    month.refresh_from_db()
    book = ledger.build_ledger(month, access.Viewer(0, sees_all=True))
    assert month.is_locked
    assert book.works_paid == min(book.works_gross, month.fund_cap)  # the demo fund is short
    assert month.total_paid == book.total == book.works_paid + 150_000  # the demo adjustment

    # Accounting downloads the payment list and reads it back.
    accountant = client_for(users.get(username="ketoan"))
    response = accountant.get(f"{BASE}{month.key}/bang-thanh-toan.xlsx")
    assert response.status_code == 200
    assert f'filename="nhuan-but-{month.key}.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Bảng thanh toán"]
    assert sheet["A2"].value == f"BẢNG THANH TOÁN NHUẬN BÚT THÁNG {month.label}"
    assert sheet["A3"].value.startswith("Đã duyệt và khoá sổ ngày")
    assert [c.value for c in sheet[8]] == [
        "STT",
        "Họ và tên",
        "Bút danh",
        "Phòng ban",
        "Đối tượng",
        "Số tác phẩm",
        "Điểm",
        "Thành tiền",
        "Thuế TNCN",
        "Thực nhận",
        "Ký nhận",
    ]
    rows = []
    for row in sheet.iter_rows(min_row=9, values_only=True):
        if row[1] == "Tổng cộng":
            total_row = row
            break
        rows.append(row)
    last = 8 + len(rows)
    assert [r[0] for r in rows] == list(range(1, len(book.people) + 1))
    assert [(r[1], r[3], r[7], r[8], r[9]) for r in rows] == [
        (p.person_name, p.department_name, p.amount, p.tax, p.net) for p in book.people
    ]
    assert all(isinstance(r[7], int) and r[7] - r[8] == r[9] for r in rows)
    assert total_row[7:10] == (f"=SUM(H9:H{last})", f"=SUM(I9:I{last})", f"=SUM(J9:J{last})")
    assert sum(r[7] for r in rows) == month.total_paid
    assert sum(r[9] for r in rows) == book.net == month.total_paid - book.tax
    assert sum(r[5] for r in rows) >= total_row[5] == book.work_count
    detail = workbook["Chi tiết"]
    assert detail.max_row - 8 == len(book.lines)  # title, notes, header … total row
    departments = workbook["Phòng ban"]
    department_rows = [r for r in departments.iter_rows(min_row=8, values_only=True)][:-1]
    assert sum(r[5] for r in department_rows) == month.total_paid

    # Nothing about the locked month can change any more.
    story = remaining[0]
    response = chief.get(f"{BASE}cham/{story.pk}/", follow=True)
    assert f"Kỳ nhuận bút tháng {month.label} đã duyệt và khoá sổ" in response.content.decode()
