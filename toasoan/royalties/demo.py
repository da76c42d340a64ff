"""Demo royalties for `make run`: an EXAMPLE regulation, departments, graded stories, a locked
month and an adjustment. The genres, point ranges and values are illustrations in the manner
of Decree 18/2014/NĐ-CP, not any paper's real regulation. Idempotent."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from toasoan.newsroom.models import ArticlePage, PenName

from . import adjustments, grading, ledger, periods
from .access import Viewer
from .models import (
    Adjustment,
    Department,
    DepartmentMember,
    Genre,
    Grade,
    Multiplier,
    Regulation,
)

EXAMPLE_NAME = "Quy chế nhuận bút MẪU (ví dụ theo Nghị định 18/2014/NĐ-CP)"
EXAMPLE_NOTE = (
    "VÍ DỤ MINH HOẠ, không phải quy chế thật. Cách tính theo tinh thần Nghị định "
    "18/2014/NĐ-CP: nhuận bút = điểm (hệ số) theo khung của thể loại × giá trị một điểm, "
    "nhân thêm hệ số cho tác phẩm đặc biệt. Tòa soạn cần thay bằng quy chế chi trả nhuận bút "
    "của mình và đối chiếu văn bản gốc."
)
EXAMPLE_POINT_VALUE = 100_000
# (name, suggested for kind, min, max[, medium: "" both, "web", "in" print])
EXAMPLE_GENRES = [
    ("Tin (tin ngắn, tin thời sự)", "tin", "1", "5"),
    ("Bài (phản ánh, tường thuật)", "bai", "3", "12"),
    ("Phóng sự, ký sự, điều tra", "phong-su", "8", "25"),
    ("Phỏng vấn", "phong-van", "4", "12"),
    ("Bình luận, chính luận", "binh-luan", "4", "12"),
    ("Ảnh báo chí (ảnh đơn, chùm ảnh)", "anh", "1", "6"),
    ("Video, phóng sự truyền hình", "video", "5", "20"),
    ("Infographic", "infographic", "3", "10"),
    ("Podcast", "podcast", "3", "10"),
    ("Bản dịch", "", "1", "6"),
    ("Tin báo in", "tin", "1", "4", "in"),
    ("Bài báo in", "bai", "3", "10", "in"),
]
EXAMPLE_MULTIPLIERS = [
    ("Tin, bài độc quyền", "1.20"),
    ("Tác nghiệp vùng sâu, vùng xa, khó khăn, nguy hiểm", "1.30"),
    ("Tin nóng, phản ánh nhanh", "1.10"),
]
# Department name → [(username, is head)]
DEPARTMENTS = {
    "Phòng Thời sự – Chính trị": [("bientap", True), ("phongvien", False)],
    "Phòng Kinh tế – Xã hội": [("bientap2", True), ("phongvien2", False)],
    "Ban Thư ký tòa soạn": [("thuky", True), ("tongbientap", False), ("photongbientap", False)],
    "Phòng Biên dịch – Đối ngoại": [("biendich", True)],
}
ADJUSTMENT_REASON = "Bổ sung nhuận bút ảnh bị sót khi chấm (ví dụ)."


def example_regulation() -> tuple[Regulation, int]:
    regulation = Regulation.objects.filter(name=EXAMPLE_NAME).first()
    if regulation:
        return regulation, 0
    regulation = Regulation(
        name=EXAMPLE_NAME,
        valid_from=date(2024, 1, 1),
        point_value=EXAMPLE_POINT_VALUE,
        is_example=True,
        note=EXAMPLE_NOTE,
    )
    for order, (name, kind, low, high, *medium) in enumerate(EXAMPLE_GENRES):
        regulation.genres.add(
            Genre(
                name=name,
                article_kind=kind,
                medium=medium[0] if medium else "",
                min_points=Decimal(low),
                max_points=Decimal(high),
                sort_order=order,
            )
        )
    for order, (name, factor) in enumerate(EXAMPLE_MULTIPLIERS):
        regulation.multipliers.add(Multiplier(name=name, factor=Decimal(factor), sort_order=order))
    regulation.save()
    return regulation, 1


def departments(staff: dict) -> int:
    created = 0
    for name, members in DEPARTMENTS.items():
        department, made = Department.objects.get_or_create(name=name)
        created += made
        for order, (username, is_head) in enumerate(members):
            user = staff.get(username)
            if user is not None and not DepartmentMember.objects.filter(user=user).exists():
                DepartmentMember.objects.create(
                    department=department, user=user, is_head=is_head, sort_order=order
                )
                created += 1
    return created


def _grade(story: ArticlePage, n: int, regulation: Regulation, chief) -> bool:
    if Grade.objects.filter(article=story).exists():
        return False
    month = periods.get_month(story.first_published_at)
    if month.is_locked:
        return False
    genre = grading.suggested_genre(story, regulation) or regulation.genres.first()
    span = int(genre.max_points - genre.min_points)
    points = genre.min_points + (n * 3) % (span + 1)
    multipliers = []
    if n % 5 == 0:
        multipliers.append(regulation.multipliers.get(name=EXAMPLE_MULTIPLIERS[0][0]))
    if story.kind == "phong-su":
        multipliers.append(regulation.multipliers.get(name=EXAMPLE_MULTIPLIERS[1][0]))
    grading.grade_story(
        story,
        month=month,
        genre=genre,
        points=points,
        multipliers=multipliers,
        shares=grading.suggested_shares(story),
        user=chief,
    )
    return True


def load_demo_royalties(stories: list[ArticlePage], staff: dict) -> int:
    """Grade every demo story of last month and lock it; grade half of this month's and give
    this month a fund a little short of it; pay an adjustment for last month this month."""
    regulation, created = example_regulation()
    created += departments(staff)
    chief = staff.get("tongbientap")
    today = timezone.localdate()
    this_month = periods.first_of_month(today)
    last_month = periods.first_of_month(this_month - timedelta(days=1))
    last = periods.get_month(last_month)
    current = periods.get_month(this_month)
    by_age = list(
        ArticlePage.objects.filter(pk__in=[s.pk for s in stories]).order_by(
            "first_published_at", "pk"
        )
    )
    for n, story in enumerate(by_age):
        start = periods.first_of_month(story.first_published_at)
        if start == last_month or (start == this_month and n % 2 == 0):
            created += _grade(story, n, regulation, chief)
    # This month's fund is a little short of what was graded, to show proportional scaling.
    if not current.is_locked and current.fund_cap is None and current.regulation_id:
        gross = ledger.build_ledger(current, Viewer(0, True)).works_gross
        periods.configure_month(
            current,
            regulation=current.regulation,
            point_value=current.point_value,
            fund_cap=max(1_000_000, gross * 9 // 10 // 500_000 * 500_000),
            user=chief,
        )
        created += 1
    if not last.is_locked and last.grades.exists():
        periods.lock_month(last, user=chief)
        created += 1
    last.refresh_from_db()
    pen_name = PenName.objects.filter(name="HOÀNG LIÊN").first()
    if (
        last.is_locked
        and pen_name
        and not Adjustment.objects.filter(month=current, reason=ADJUSTMENT_REASON).exists()
        and not current.is_locked
    ):
        adjustments.add_adjustment(
            current,
            corrects=last,
            pen_name=pen_name,
            amount=150_000,
            reason=ADJUSTMENT_REASON,
            user=chief,
        )
        created += 1
    return created
