"""Nhuận bút for the print edition: a story printed on a page sent to the printer is graded as
print use, apart from its web publication, and the accountant reads which version was printed
on which page of which issue."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.royalties.conftest import (  # noqa: F401 - the royalty newsroom replaces print's
    at,
    make_story,
    newsroom,
    regulation,
)
from tests.royalties.test_admin import grade_post
from tests.staff import client_for
from toasoan.printing import planning
from toasoan.printing.models import PageState, PrintUse
from toasoan.printing.versions import print_version_for, save_version
from toasoan.royalties import grading, periods
from toasoan.royalties.grading import ShareInput
from toasoan.royalties.models import Genre, Grade
from toasoan.royalties.uses import use_of

pytestmark = pytest.mark.django_db

BASE = "/admin/nhuan-but/"


def send_to_printer(user, page) -> None:
    for state in (PageState.LAID_OUT, PageState.PROOF, PageState.APPROVED, PageState.SENT):
        page = planning.move_page(user, page, state)


@pytest.fixture
def printed(newsroom, make_story):  # noqa: F811
    """March 2025: a story published and graded on the web, then cut for print and printed on
    page 3 of issue 901 (10/03/2025); another story planned on page 2, not yet sent."""
    pens, regulation, tbt = newsroom["pens"], newsroom["regulation"], newsroom["people"]["tbt"]  # noqa: F811
    regulation.genres.add(
        Genre(name="Bài báo in", medium="in", min_points=Decimal(4), max_points=Decimal(15))
    )
    regulation.save()
    story = make_story("Lũ về Đại Lộc", [pens["V.A"], pens["HOÀNG LIÊN"]], at(5))
    grading.grade_story(
        story,
        month=periods.get_month(story.first_published_at),
        genre=regulation.genres.get(name="Bài"),
        points=Decimal(10),
        shares=[
            ShareInput(pens["V.A"], "viet", Decimal(60)),
            ShareInput(pens["HOÀNG LIÊN"], "anh", Decimal(40)),
        ],
        user=tbt,
    )
    waiting = make_story("Mưa đá ở Nam Trà My", [pens["MINH HẢI"]], at(6), kind="tin")
    issue = planning.create_issue(issue_date=date(2025, 3, 10), number=901, page_count=4)
    version = print_version_for(story, tbt)
    save_version(
        version,
        title="Đại Lộc sau lũ: dân cần gì",
        sapo="Bản in ngắn hơn.",
        body="Đoạn một.\n\nĐoạn hai.",
        user=tbt,
    )
    planning.place_story(issue.pages.get(number=3), story)
    planning.place_story(issue.pages.get(number=2), waiting)
    send_to_printer(tbt, issue.pages.get(number=3))
    return {"story": story, "waiting": waiting, "issue": issue, "month": periods.get_month(at(5))}


def test_a_printed_story_is_graded_as_print_use_apart_from_its_web_use(newsroom, printed):  # noqa: F811
    tbt, ketoan = newsroom["people"]["tbt"], newsroom["people"]["ketoan"]
    story, month, pens = printed["story"], printed["month"], newsroom["pens"]
    use = PrintUse.objects.get(story=story)
    key = f"bao-in-{use.pk}"
    grader = client_for(tbt)

    # The queue: the web use is graded, so the story waits only as print use, with its
    # issue, page and the version printed; the story on a page not yet sent is not there.
    queue = grader.get(f"{BASE}cho-cham/?thang={month.key}").content.decode()
    printed_part = queue.split("Báo in chờ chấm")[1]
    assert "Đại Lộc sau lũ: dân cần gì" in printed_part
    assert "Báo in số 901 ngày 10/03/2025, trang 3" in printed_part
    assert "bản in, phiên bản 2" in printed_part
    assert printed["waiting"].title not in printed_part
    assert f"{BASE}cham-su-dung/{key}/" in printed_part

    # The grading form offers the print genres (and those for every medium), not web-only ones,
    # and says the web use was graded apart.
    form = grader.get(f"{BASE}cham-su-dung/{key}/").content.decode()
    assert "Bài báo in (4–15 điểm, báo in)" in form and "Tin (1–5 điểm)" in form
    assert "đã chấm kỳ 03/2025: Bài, 10 điểm" in form
    web_form = grader.get(f"{BASE}cham/{story.pk}/").content.decode()
    assert "Bài báo in" not in web_form

    print_genre = newsroom["regulation"].genres.get(name="Bài báo in")
    data = grade_post(story, month, print_genre, 5, [(pens["V.A"], "viet", 100)])
    answer = grader.post(f"{BASE}cham-su-dung/{key}/", data, follow=True).content.decode()
    assert "Đã chấm “Đại Lộc sau lũ: dân cần gì — Báo in số 901 ngày 10/03/2025, trang 3" in (
        answer
    )
    web, paper = Grade.objects.get(article=story, medium="web"), Grade.objects.get(medium="in")
    assert (web.points, paper.points) == (Decimal(10), Decimal(5))
    assert paper.use_label == "Báo in số 901 ngày 10/03/2025, trang 3 (bản in, phiên bản 2)"
    assert key not in grader.get(f"{BASE}cho-cham/?thang={month.key}").content.decode()

    # The accountant's ledger: two lines for the story, the print one saying where it was
    # printed; V.A is paid 600.000 đ for the web and 500.000 đ for the print use.
    accountant = client_for(ketoan)
    page = accountant.get(f"{BASE}{month.key}/").content.decode()
    assert page.count("Lũ về Đại Lộc") == 2  # the web use: V.A's and HOÀNG LIÊN's lines
    assert page.count("Đại Lộc sau lũ") == 1  # the print use: V.A's line
    assert "Đại Lộc sau lũ: dân cần gì — Báo in số 901 ngày 10/03/2025, trang 3" in page
    assert "1.100.000 đ" in page and "1.500.000 đ" in page
    sheet = load_workbook(
        BytesIO(accountant.get(f"{BASE}{month.key}/bang-thanh-toan.xlsx").content)
    )
    details = [str(cell.value) for ws in sheet.worksheets for row in ws.iter_rows() for cell in row]
    assert any("trang 3 (bản in, phiên bản 2)" in text for text in details)

    # Grading the print use again is a re-grade, not a second line; the web grade stays.
    data = grade_post(story, month, print_genre, 6, [(pens["V.A"], "viet", 100)])
    grader.post(f"{BASE}cham-su-dung/{key}/", data)
    assert Grade.objects.filter(article=story).count() == 2
    assert Grade.objects.get(medium="in").points == Decimal(6)


def test_a_web_genre_is_refused_for_print_use(newsroom, printed):  # noqa: F811
    rules = newsroom["regulation"]
    rules.genres.add(
        Genre(name="Bài web", medium="web", min_points=Decimal(1), max_points=Decimal(9))
    )
    rules.save()
    use = PrintUse.objects.get(story=printed["story"])
    with pytest.raises(grading.LedgerError, match="dành cho báo điện tử"):
        grading.grade_story(
            printed["story"],
            month=printed["month"],
            genre=rules.genres.get(name="Bài web"),
            points=Decimal(3),
            shares=[ShareInput(newsroom["pens"]["V.A"], "viet", Decimal(100))],
            user=newsroom["people"]["tbt"],
            use=use_of(f"bao-in-{use.pk}"),
        )
    assert not Grade.objects.filter(medium="in").exists()
