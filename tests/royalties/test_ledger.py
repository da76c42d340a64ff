"""Grading, the monthly ledger, the fund cap, locking and adjustments (the rules in periods,
grading, adjustments and ledger)."""

from datetime import date
from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from tests.royalties.conftest import at
from toasoan.royalties import access, adjustments, grading, ledger, periods
from toasoan.royalties.grading import ShareInput
from toasoan.royalties.models import DepartmentMember, Genre, Grade, Regulation
from toasoan.royalties.people import NO_DEPARTMENT
from toasoan.royalties.periods import LedgerError

pytestmark = pytest.mark.django_db

MARCH, APRIL = date(2025, 3, 1), date(2025, 4, 1)


def genre(regulation, name) -> Genre:
    return regulation.genres.get(name=name)


def grade(story, newsroom, genre_name, points, shares, *, month=None, multipliers=(), user=None):
    regulation = newsroom["regulation"]
    return grading.grade_story(
        story,
        month=month or periods.get_month(story.first_published_at),
        genre=genre(regulation, genre_name),
        points=Decimal(points),
        multipliers=[regulation.multipliers.get(name=m) for m in multipliers],
        shares=[
            ShareInput(newsroom["pens"][pen], role, Decimal(percent))
            for pen, role, percent in shares
        ],
        user=user or newsroom["people"]["tbt"],
    )


@pytest.fixture
def march(newsroom, make_story):
    """Two graded March stories: 1.000.000 đ split 60/40 and 360.000 đ split three ways."""
    pens = newsroom["pens"]
    flood = make_story("Lũ về Đại Lộc", [pens["V.A"], pens["HOÀNG LIÊN"]], at(5))
    market = make_story("Chợ phiên vùng cao", [pens["V.A"]], at(20), kind="tin")
    grade(flood, newsroom, "Bài", 10, [("V.A", "viet", 60), ("HOÀNG LIÊN", "anh", 40)])
    grade(
        market,
        newsroom,
        "Tin",
        3,
        [("V.A", "viet", "33.34"), ("MINH HẢI", "bien-tap", "33.33"), ("LÃO NÔNG", "anh", "33.33")],
        multipliers=["Độc quyền"],
    )
    return {"month": periods.get_month(MARCH), "flood": flood, "market": market}


def everyone():
    return access.Viewer(0, sees_all=True)


def by_name(book):
    return {row.person_name: row for row in book.people}


def test_grades_split_by_shares_into_a_ledger_per_person_and_department(march):
    book = ledger.build_ledger(march["month"], everyone())
    people = by_name(book)
    # 10 points × 100.000 đ = 1.000.000 đ (60/40); 3 × 1,2 × 100.000 đ = 360.000 đ in thirds
    # (33,34 % of 360.000 đ = 120.024 đ; the two others get 119.988 đ each).
    assert people["Võ Văn An"].amount == 600_000 + 120_024
    assert people["Võ Văn An"].work_count == 2
    assert people["Hoàng Thị Liên"].amount == 400_000
    assert people["Nguyễn Minh Hải"].amount == 119_988
    assert people["Trần Văn Nông"].amount == 119_988  # the outside contributor, by real name
    assert people["Trần Văn Nông"].department_name == NO_DEPARTMENT
    assert book.total == 1_360_000
    assert book.work_count == 2
    departments = {row.name: row.amount for row in book.departments}
    assert departments == {
        "Phòng Thời sự": 600_000 + 120_024 + 119_988,
        "Phòng Kinh tế": 400_000,
        NO_DEPARTMENT: 119_988,
    }
    assert sum(departments.values()) == book.total


def test_a_fund_cap_scales_everyone_to_exactly_the_cap(march, newsroom):
    month = periods.configure_month(
        march["month"],
        regulation=march["month"].regulation,
        point_value=march["month"].point_value,
        fund_cap=1_000_001,
        user=newsroom["people"]["tbt"],
    )
    book = ledger.build_ledger(month, everyone())
    assert book.capped and book.works_gross == 1_360_000
    assert book.total == 1_000_001
    assert sum(row.amount for row in book.people) == 1_000_001
    assert all(line.amount <= line.gross for line in book.lines)


def test_grading_refuses_bad_input_and_changes_nothing(newsroom, make_story, section):
    pens = newsroom["pens"]
    story = make_story("Cầu Cửa Đại", [pens["V.A"]], at(7))
    with pytest.raises(LedgerError, match="từ 3 đến 12 điểm"):
        grade(story, newsroom, "Bài", 13, [("V.A", "viet", 100)])
    with pytest.raises(LedgerError, match="đúng 100 %"):
        grade(story, newsroom, "Bài", 5, [("V.A", "viet", 60), ("HOÀNG LIÊN", "anh", 30)])
    with pytest.raises(LedgerError, match="ít nhất một người"):
        grade(story, newsroom, "Bài", 5, [])
    with pytest.raises(LedgerError, match="hai lần"):
        grade(story, newsroom, "Bài", 5, [("V.A", "viet", 50), ("V.A", "viet", 50)])
    with pytest.raises(LedgerError, match="trước đó"):
        grade(story, newsroom, "Bài", 5, [("V.A", "viet", 100)], month=periods.get_month(at(1, 2)))
    other = Regulation.objects.create(name="Khác", valid_from=date(2019, 1, 1), point_value=1)
    foreign = Genre.objects.create(regulation=other, name="Lạ", min_points=0, max_points=99)
    with pytest.raises(LedgerError, match="không thuộc quy chế"):
        grading.grade_story(
            story,
            month=periods.get_month(at(7)),
            genre=foreign,
            points=Decimal(5),
            shares=[ShareInput(pens["V.A"], "viet", Decimal(100))],
            user=newsroom["people"]["tbt"],
        )
    draft = make_story("Bản nháp", [pens["V.A"]], at(8), live=False)
    draft.first_published_at = None
    with pytest.raises(LedgerError, match="đã xuất bản"):
        grade(draft, newsroom, "Bài", 5, [("V.A", "viet", 100)], month=periods.get_month(at(8)))
    assert not Grade.objects.exists()
    assert story in grading.ungraded_stories()


def test_locking_freezes_the_month_against_every_later_change(march, newsroom):
    month = march["month"]
    tbt = newsroom["people"]["tbt"]
    before = ledger.build_ledger(month, everyone())
    with pytest.raises(LedgerError, match="chưa kết thúc"):
        periods.lock_month(month, user=tbt, today=date(2025, 3, 31))
    periods.lock_month(month, user=tbt, today=APRIL)
    month.refresh_from_db()
    assert month.is_locked and month.total_paid == before.total

    # The regulation, the people and the departments change afterwards…
    regulation = newsroom["regulation"]
    bai = genre(regulation, "Bài")
    regulation.point_value = 999_000
    regulation.save()
    Genre.objects.filter(regulation=regulation).update(min_points=0, max_points=1, name="Đổi")
    newsroom["people"]["pv"].first_name = "Tên Mới"
    newsroom["people"]["pv"].save()
    DepartmentMember.objects.filter(user=newsroom["people"]["pv"]).delete()
    newsroom["pens"]["LÃO NÔNG"].delete()
    # …and the locked month says exactly what it said when it was approved.
    after = ledger.build_ledger(month, everyone())
    assert [(r.person_name, r.department_name, r.amount) for r in after.people] == [
        (r.person_name, r.department_name, r.amount) for r in before.people
    ]
    assert after.total == before.total == 1_360_000

    # Every way of changing it is refused with the same clear message.
    message = "đã duyệt và khoá sổ"
    with pytest.raises(LedgerError, match=message):
        grading.grade_story(
            march["flood"],
            month=periods.get_month(APRIL),
            genre=bai,
            points=Decimal(3),
            shares=[ShareInput(newsroom["pens"]["V.A"], "viet", Decimal(100))],
            user=tbt,
        )
    with pytest.raises(LedgerError, match=message):
        grading.ungrade(Grade.objects.get(article=march["flood"]), user=tbt)
    with pytest.raises(LedgerError, match=message):
        periods.configure_month(
            month, regulation=regulation, point_value=1, fund_cap=None, user=tbt
        )
    with pytest.raises(LedgerError, match=message):
        periods.lock_month(month, user=tbt, today=APRIL)
    with pytest.raises(LedgerError, match=message):
        adjustments.add_adjustment(
            month,
            corrects=month,
            pen_name=newsroom["pens"]["V.A"],
            amount=1,
            reason="x",
            user=tbt,
        )
    assert ledger.build_ledger(month, everyone()).total == 1_360_000


def test_adjustments_change_what_is_paid_only_in_a_later_open_month(march, newsroom, make_story):
    tbt, pens = newsroom["people"]["tbt"], newsroom["pens"]
    month = march["month"]
    april = periods.get_month(APRIL)
    with pytest.raises(LedgerError, match="chưa khoá sổ"):
        adjustments.add_adjustment(
            april, corrects=month, pen_name=pens["V.A"], amount=1, reason="x", user=tbt
        )
    periods.lock_month(month, user=tbt, today=APRIL)
    month.refresh_from_db()
    with pytest.raises(LedgerError, match="khác 0"):
        adjustments.add_adjustment(
            april, corrects=month, pen_name=pens["V.A"], amount=0, reason="x", user=tbt
        )
    with pytest.raises(LedgerError, match="lý do"):
        adjustments.add_adjustment(
            april, corrects=month, pen_name=pens["V.A"], amount=5, reason="  ", user=tbt
        )
    # April pays one story, under a cap it exceeds; the adjustments are not scaled.
    story = make_story("Mùa xoài", [pens["HOÀNG LIÊN"]], at(3, 4))
    grade(story, newsroom, "Bài", 5, [("HOÀNG LIÊN", "viet", 100)])
    periods.configure_month(
        april, regulation=april.regulation, point_value=100_000, fund_cap=400_000, user=tbt
    )
    adjustments.add_adjustment(
        april,
        corrects=month,
        pen_name=pens["V.A"],
        amount=-20_024,
        reason="Trả thừa tin chợ phiên",
        user=tbt,
    )
    adjustments.add_adjustment(
        april, corrects=month, pen_name=pens["LÃO NÔNG"], amount=50_000, reason="Bổ sung", user=tbt
    )
    book = ledger.build_ledger(april, everyone())
    people = by_name(book)
    assert people["Hoàng Thị Liên"].amount == 400_000  # 500.000 đ capped to the fund
    assert people["Võ Văn An"].amount == -20_024 and people["Võ Văn An"].work_count == 0
    assert people["Trần Văn Nông"].amount == 50_000
    assert book.total == 400_000 - 20_024 + 50_000
    # March is untouched.
    assert ledger.build_ledger(month, everyone()).total == 1_360_000


def test_a_story_of_a_locked_month_can_still_be_graded_into_a_later_open_month(
    march, newsroom, make_story
):
    tbt, pens = newsroom["people"]["tbt"], newsroom["pens"]
    late = make_story("Bài bị sót", [pens["V.A"]], at(30))
    periods.lock_month(march["month"], user=tbt, today=APRIL)
    periods.get_month(APRIL)
    with pytest.raises(LedgerError, match="khoá sổ"):
        grade(late, newsroom, "Bài", 4, [("V.A", "viet", 100)])
    months = periods.open_months_from(late.first_published_at)
    assert march["month"] not in months and months[0].month == APRIL
    grade(late, newsroom, "Bài", 4, [("V.A", "viet", 100)], month=months[0])
    assert by_name(ledger.build_ledger(months[0], everyone()))["Võ Văn An"].amount == 400_000


def test_who_sees_which_lines(march, newsroom):
    people = newsroom["people"]
    month = march["month"]

    def names(user):
        return sorted(by_name(ledger.build_ledger(month, access.viewer_for(user))))

    everyone_names = ["Hoàng Thị Liên", "Nguyễn Minh Hải", "Trần Văn Nông", "Võ Văn An"]
    assert names(people["tbt"]) == everyone_names
    assert names(people["ketoan"]) == everyone_names
    assert names(people["pv"]) == ["Võ Văn An"]
    assert names(people["pv2"]) == ["Hoàng Thị Liên"]
    assert names(people["truongphong"]) == ["Nguyễn Minh Hải", "Võ Văn An"]  # the department
    assert names(people["ctv"]) == []


def test_every_change_is_in_the_audit_log(march, newsroom):
    tbt = newsroom["people"]["tbt"]
    month = march["month"]
    periods.configure_month(
        month, regulation=month.regulation, point_value=90_000, fund_cap=None, user=tbt
    )
    grading.ungrade(Grade.objects.get(article=march["market"]), user=tbt)
    periods.lock_month(month, user=tbt, today=APRIL)
    actions = list(
        ModelLogEntry.objects.filter(action__startswith="royalties.")
        .order_by("pk")
        .values_list("action", "user_id")
    )
    assert actions == [
        ("royalties.grade", tbt.pk),
        ("royalties.grade", tbt.pk),
        ("royalties.configure", tbt.pk),
        ("royalties.ungrade", tbt.pk),
        ("royalties.lock", tbt.pk),
    ]
    entry = ModelLogEntry.objects.get(action="royalties.lock")
    assert entry.message == "Khoá sổ kỳ 03/2025: tổng chi 900.000 đ"


def test_the_regulation_in_force_is_the_latest_already_valid(regulation):
    newer = Regulation.objects.create(
        name="Quy chế 2025", valid_from=date(2025, 6, 1), point_value=1
    )
    assert Regulation.in_force(date(2025, 5, 31)) == regulation
    assert Regulation.in_force(date(2025, 6, 1)) == newer
    assert periods.get_month(date(2025, 7, 9)).regulation == newer
    assert periods.get_month(date(2025, 7, 9)).point_value == 1


def test_a_month_opened_before_any_regulation_takes_the_one_in_force(db):
    month = periods.get_month(date(2025, 5, 9))
    assert month.regulation is None and month.point_value == 0
    regulation = Regulation.objects.create(name="Mới", valid_from=date(2025, 1, 1), point_value=7)
    month = periods.get_month(date(2025, 5, 20))
    assert month.regulation == regulation and month.point_value == 7
