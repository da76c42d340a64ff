"""Demo print edition for `make run`: three back issues with generated Vietnamese page PDFs
built into the e-paper, and tomorrow's 8-page issue in planning. Idempotent."""

import shutil
from datetime import date, timedelta

from django.utils import timezone

from toasoan.newsroom.models import ArticlePage

from . import epaper, planning
from .models import PrintIssue, SlotKind
from .samples import FONT_DIR, page_pdf
from .versions import print_version_for

BACK_ISSUES = 3
BACK_PAGES = 4
SECTIONS = [
    "Thời sự",
    "Chính trị",
    "Kinh tế",
    "Xã hội",
    "Văn hóa",
    "Thể thao",
    "Pháp luật",
    "Quốc tế",
]
FONT_FILES = (FONT_DIR / "NotoSerif-Regular.ttf", FONT_DIR / "NotoSerif-Bold.ttf")
EPOCH = date(2016, 1, 1)  # issue numbers count days from here


def issue_number(day: date) -> int:
    return (day - EPOCH).days


def can_draw_pages() -> bool:
    """poppler-utils and fonts-noto-core (Debian packages) are installed."""
    return shutil.which("pdftoppm") is not None and all(f.exists() for f in FONT_FILES)


def load_demo_print(stories: list[ArticlePage], staff: dict, log=print) -> int:
    chief = staff.get("tongbientap")
    today = timezone.localdate()
    created = 0
    back_issues = BACK_ISSUES
    if not can_draw_pages():
        log("Báo in: thiếu poppler-utils hoặc fonts-noto-core, bỏ qua các số báo điện tử mẫu.")
        back_issues = 0
    live = [s for s in stories if s.live]
    # The story holding "đối ngoại" (the seed) opens yesterday's front page.
    live.sort(key=lambda s: "đối ngoại" not in s.title)
    for back in range(1, back_issues + 1):
        day = today - timedelta(days=back)
        if PrintIssue.objects.filter(date=day).exists():
            continue
        issue = planning.create_issue(
            issue_date=day, number=issue_number(day), page_count=BACK_PAGES, sections=SECTIONS
        )
        files = []
        for page in issue.pages.all():
            chosen = [live[(back * 7 + page.number * 2 + k) % len(live)] for k in range(2)]
            if back == 1 and page.number == 1:
                chosen[0] = live[0]
            placed = []
            for story in chosen:
                if not page.slots.filter(story=story).exists():
                    planning.place_story(page, story, planned_chars=2500)
                version = print_version_for(story, chief)
                placed.append((version.title, version.sapo + "\n\n" + version.body))
            placed = list(dict.fromkeys(placed))
            if page.number == BACK_PAGES:
                planning.block_area(page, SlotKind.AD, "Quảng cáo nửa trang")
            files.append(
                (
                    f"trang-{page.number:02d}.pdf",
                    page_pdf(
                        issue_date=day,
                        issue_number=issue.number,
                        page_number=page.number,
                        section=page.section_name,
                        stories=placed,
                        photo_px=(1600, 730),
                    ),
                )
            )
        for page in issue.pages.all():
            for state in planning.ORDER[1:]:
                page = planning.move_page(chief, page, state)
        epaper.attach_pdfs(issue, files)  # built once the demo's transaction commits
        created += 1
    tomorrow = today + timedelta(days=1)
    if not PrintIssue.objects.filter(date=tomorrow).exists():
        issue = planning.create_issue(
            issue_date=tomorrow, number=issue_number(tomorrow), page_count=8, sections=SECTIONS
        )
        PrintIssue.objects.filter(pk=issue.pk).update(teaser_hour="17:00")
        planning.block_area(issue.pages.get(number=8), SlotKind.AD, "Quảng cáo cả trang")
        created += 1
    return created
