"""Planning an issue: pages, slots, character counts and each page's way to the printer.

Who may do what (permissions of PrintIssue, given to the roles in newsroom.roles):
- `plan_issue` (Thư ký tòa soạn, Tổng biên tập): create issues, place stories, photos and ads,
  move a page from "dự kiến" up to "morat" and back;
- `approve_page` (Tổng biên tập, phó TBT): morat → "TBT duyệt";
- `upload_pages` (Thư ký tòa soạn, Tổng biên tập): "TBT duyệt" → "đã gửi in", page PDFs.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale

from toasoan.newsroom.models import ArticlePage

from .models import PageSlot, PageState, PrintIssue, PrintPage, PrintUse, SlotKind
from .versions import print_text_length

PLAN = "printing.plan_issue"
APPROVE = "printing.approve_page"
UPLOAD = "printing.upload_pages"
CUT = "printing.cut_print_version"
ANY_PRINT_RIGHT = (PLAN, APPROVE, UPLOAD, CUT)

ORDER = list(PageState.values)
# The permission that moves a page *into* each state.
RIGHT_TO_ENTER = {
    PageState.PLANNED: PLAN,
    PageState.LAID_OUT: PLAN,
    PageState.PROOF: PLAN,
    PageState.APPROVED: APPROVE,
    PageState.SENT: UPLOAD,
}


class PlanningError(Exception):
    """A planning step refused, with the message shown to the editor."""


def may_see(user) -> bool:
    return any(user.has_perm(p) for p in ANY_PRINT_RIGHT)


def create_issue(
    *, issue_date: date, number: int, page_count: int = 8, sections: list[str] | None = None
) -> PrintIssue:
    """A new issue with its pages, all "dự kiến"."""
    if not 1 <= page_count <= 96:
        raise PlanningError("Số trang phải từ 1 đến 96.")
    sections = sections or []
    with transaction.atomic():
        issue = PrintIssue.objects.create(date=issue_date, number=number, page_count=page_count)
        PrintPage.objects.bulk_create(
            PrintPage(
                issue=issue,
                number=n,
                section_name=sections[n - 1] if n <= len(sections) else "",
            )
            for n in range(1, page_count + 1)
        )
    return issue


def _check_open(page: PrintPage) -> None:
    if page.state != PageState.PLANNED and page.state != PageState.LAID_OUT:
        raise PlanningError(
            f"Trang {page.number} đang ở bước “{page.get_state_display()}”: "
            "trả trang về “Dự kiến” hoặc “Đã dàn trang” trước khi đổi bài."
        )


def placeable_stories():
    """Stories the desk may plan: approved (live) ones of the Vietnamese paper, newest first
    (the English edition's are not printed)."""
    return (
        ArticlePage.objects.live()
        .filter(locale=Locale.get_default())
        .order_by("-first_published_at")
    )


def place_story(page: PrintPage, story: ArticlePage, planned_chars: int = 3000) -> PageSlot:
    """Put a story on a page (moving it there if it was on another page of the issue)."""
    with transaction.atomic():
        page = PrintPage.objects.select_for_update().get(pk=page.pk)
        _check_open(page)
        existing = PageSlot.objects.filter(page__issue_id=page.issue_id, story=story).first()
        if existing is not None:
            _check_open(existing.page)
            existing.page = page
            existing.sort_order = page.slots.count()
            existing.save(update_fields=["page", "sort_order"])
            return existing
        return PageSlot.objects.create(
            page=page,
            kind=SlotKind.STORY,
            story=story,
            planned_chars=planned_chars,
            sort_order=page.slots.count(),
        )


def block_area(page: PrintPage, kind: str, label: str) -> PageSlot:
    """A photo or an advertisement holding part of a page."""
    if kind not in (SlotKind.PHOTO, SlotKind.AD):
        raise PlanningError("Chỉ chặn chỗ cho ảnh hoặc quảng cáo.")
    _check_open(page)
    return PageSlot.objects.create(
        page=page, kind=kind, label=label[:120], planned_chars=0, sort_order=page.slots.count()
    )


def remove_slot(slot: PageSlot) -> None:
    _check_open(slot.page)
    slot.delete()


@dataclass
class SlotView:
    slot: PageSlot
    chars: int

    @property
    def over(self) -> int:
        return self.chars - self.slot.planned_chars

    @property
    def status(self) -> str:
        if not self.slot.planned_chars:
            return ""
        if self.over > 0:
            return f"thừa {self.over:,}".replace(",", ".")
        return f"thiếu {-self.over:,}".replace(",", ".") if self.over < 0 else "vừa"


def slot_views(page: PrintPage) -> list[SlotView]:
    return [
        SlotView(slot, print_text_length(slot.story) if slot.story_id else 0)
        for slot in page.slots.select_related("story", "story__print_version")
    ]


def next_state(page: PrintPage) -> str | None:
    i = ORDER.index(page.state)
    return ORDER[i + 1] if i + 1 < len(ORDER) else None


def previous_state(page: PrintPage) -> str | None:
    i = ORDER.index(page.state)
    if page.state == PageState.SENT or i == 0:
        return None
    return ORDER[i - 1]


def may_move(user, page: PrintPage, target: str) -> bool:
    if target == next_state(page):
        return user.has_perm(RIGHT_TO_ENTER[target])
    if target == previous_state(page):
        # Sending a page back: whoever may move it forward from there (TBT returns a proof).
        return user.has_perm(RIGHT_TO_ENTER[page.state]) or user.has_perm(PLAN)
    return False


def move_page(user, page: PrintPage, target: str) -> PrintPage:
    """One step forward or back; "đã gửi in" records the print use of every story on it."""
    with transaction.atomic():
        page = PrintPage.objects.select_for_update().select_related("issue").get(pk=page.pk)
        if target not in ORDER or target not in (next_state(page), previous_state(page)):
            raise PlanningError(
                f"Trang {page.number} đang ở bước “{page.get_state_display()}”, "
                "không chuyển thẳng sang bước đó được."
            )
        if not may_move(user, page, target):
            raise PlanningError("Bạn không có quyền chuyển trang sang bước này.")
        page.state = target
        page.state_changed_at = timezone.now()
        page.state_changed_by = user
        page.save(update_fields=["state", "state_changed_at", "state_changed_by"])
        if target == PageState.SENT:
            record_print_use(page)
    return page


def record_print_use(page: PrintPage) -> None:
    """Nhuận bút: the version (print revision, or the web revision) printed on the page."""
    for slot in page.slots.filter(story__isnull=False).select_related("story"):
        version = getattr(slot.story, "print_version", None)
        PrintUse.objects.update_or_create(
            issue=page.issue,
            page_number=page.number,
            story=slot.story,
            defaults={
                "revision": version.latest_revision if version else None,
                "web_revision_id": slot.story.live_revision_id,
            },
        )


def issue_progress(issue: PrintIssue) -> dict[str, int]:
    counts = {state: 0 for state in ORDER}
    for state in issue.pages.values_list("state", flat=True):
        counts[state] += 1
    return counts
