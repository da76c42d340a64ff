"""Grading (chấm) a published story: genre, points, multipliers, and who shares its royalty."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from wagtail.log_actions import log

from toasoan.core.text import nfc
from toasoan.newsroom.models import ArticlePage, PenName

from .models import Genre, Grade, Multiplier, Regulation, RoyaltyMonth, Share
from .money import basis_points, equal_shares, points_text
from .people import person_of
from .periods import LedgerError, first_of_month, locked_row, remove_from_month
from .uses import MEDIA, PRINT, WEB, Use, find_uses


@dataclass(frozen=True)
class ShareInput:
    pen_name: PenName
    role: str
    percent: Decimal


def suggested_shares(article: ArticlePage) -> list[ShareInput]:
    """Equal shares for the story's bylines, in byline order (writer first…)."""
    bylines = list(article.bylines.select_related("pen_name").order_by("sort_order"))
    percents = equal_shares(len(bylines))
    return [
        ShareInput(b.pen_name, b.role if b.role in dict(Share.ROLES) else "khac", p)
        for b, p in zip(bylines, percents, strict=True)
    ]


def genres_for(medium: str):
    """The genres a use in `medium` may be graded under: that medium's and those for all."""
    return Genre.objects.filter(medium__in=[medium, ""])


def suggested_genre(
    article: ArticlePage, regulation: Regulation | None, medium: str = WEB
) -> Genre | None:
    if regulation is None:
        return None
    genres = list(genres_for(medium).filter(regulation=regulation))
    genres.sort(key=lambda g: g.medium != medium)  # the medium's own genre first
    return next((g for g in genres if g.article_kind == article.kind), None)


def used_at(article: ArticlePage, use: Use | None) -> datetime | None:
    """When the graded use happened: the web publication, or the morning of the printed issue."""
    if use is None:
        return article.first_published_at
    return timezone.make_aware(datetime.combine(use.used_on, time(5)))


def grade_of(article: ArticlePage, use: Use | None = None) -> Grade | None:
    """The grade of the story's web publication, or of one of its other uses."""
    found = Grade.objects.filter(article=article).select_related("month")
    if use is None:
        return found.filter(medium=WEB, use_key="").first()
    return found.filter(medium=use.medium, use_key=use.key).first()


def _check_shares(shares: Sequence[ShareInput]) -> None:
    if not shares:
        raise LedgerError("Cần ít nhất một người hưởng nhuận bút.")
    seen = set()
    for share in shares:
        if share.percent <= 0:
            raise LedgerError(f"Tỷ lệ của {share.pen_name} phải lớn hơn 0 %.")
        try:
            basis_points(share.percent)
        except ValueError as error:
            raise LedgerError(str(error)) from None
        if (share.pen_name.pk, share.role) in seen:
            raise LedgerError(f"{share.pen_name} được nhập hai lần với cùng vai trò.")
        seen.add((share.pen_name.pk, share.role))
    total = sum(Decimal(s.percent) for s in shares)
    if total != 100:
        raise LedgerError(f"Tổng tỷ lệ chia phải đúng 100 % (đang là {points_text(total)} %).")


@transaction.atomic
def grade_story(
    article: ArticlePage,
    *,
    month: RoyaltyMonth,
    genre: Genre,
    points: Decimal,
    multipliers: Iterable[Multiplier] = (),
    shares: Sequence[ShareInput],
    note: str = "",
    user,
    use: Use | None = None,
) -> Grade:
    """Grade (or re-grade) a published story's web publication — or, given `use`, one other
    use of it such as a printing — into an open month."""
    if not article.first_published_at:
        raise LedgerError("Chỉ chấm nhuận bút cho tác phẩm đã xuất bản.")
    if use is not None and use.article_id != article.pk:
        raise LedgerError("Lần sử dụng này không thuộc tác phẩm đang chấm.")
    medium = use.medium if use else WEB
    existing = grade_of(article, use)
    if existing is not None:
        locked_row(existing.month)
    month = locked_row(month)
    happened = used_at(article, use)
    if month.month < first_of_month(happened):
        what = "Tác phẩm in" if use else "Tác phẩm xuất bản"
        raise LedgerError(
            f"{what} tháng {first_of_month(happened):%m/%Y}: "
            f"không thể chi trong kỳ {month.label} trước đó."
        )
    if genre.medium and genre.medium != medium:
        raise LedgerError(
            f"Thể loại “{genre.name}” dành cho {genre.get_medium_display().lower()}, "
            f"không dùng để chấm {dict(MEDIA)[medium].lower()}."
        )
    if month.regulation_id is None or genre.regulation_id != month.regulation_id:
        raise LedgerError(
            f"Thể loại “{genre.name}” không thuộc quy chế áp dụng cho kỳ {month.label}."
        )
    points = Decimal(points)
    if not genre.min_points <= points <= genre.max_points:
        raise LedgerError(
            f"Thể loại “{genre.name}” được chấm từ {points_text(genre.min_points)} đến "
            f"{points_text(genre.max_points)} điểm (đã nhập {points_text(points)})."
        )
    multipliers = list(multipliers)
    if any(m.regulation_id != genre.regulation_id for m in multipliers):
        raise LedgerError("Hệ số không thuộc quy chế áp dụng cho kỳ này.")
    _check_shares(shares)

    factor = Decimal(1)
    for multiplier in multipliers:
        factor *= multiplier.factor
    grade = existing or Grade(article=article, medium=medium, use_key=use.key if use else "")
    grade.article_title = use.title if use else article.title
    grade.use_label = use.label[:255] if use else ""
    grade.published_at = happened
    grade.month = month
    grade.genre, grade.genre_name = genre, genre.name
    grade.points, grade.factor, grade.note = points, factor, nfc(note).strip()
    grade.multiplier_names = ", ".join(str(m) for m in multipliers)
    grade.graded_by = user
    grade.save()
    grade.multipliers.set(multipliers)
    grade.shares.all().delete()
    for share in shares:
        user_id, name = person_of(share.pen_name)
        Share.objects.create(
            grade=grade,
            pen_name=share.pen_name,
            pen_name_text=share.pen_name.name,
            user_id=user_id,
            person_name=name,
            role=share.role,
            percent=share.percent,
        )
    log(
        instance=grade,
        action="royalties.regrade" if existing else "royalties.grade",
        user=user,
        data={
            "title": grade.work_title,
            "month": month.label,
            "genre": genre.name,
            "points": points_text(points),
            "factor": points_text(factor),
            "shares": [f"{s.pen_name.name} {s.role} {s.percent}%" for s in shares],
        },
    )
    return grade


def ungrade(grade: Grade, *, user) -> None:
    data = {"title": grade.work_title, "month": grade.month.label}
    remove_from_month(grade, action="royalties.ungrade", user=user, data=data)


def ungraded_stories():
    """Published stories nobody has graded yet, oldest first (the grading queue)."""
    web_grade = Grade.objects.filter(article=OuterRef("pk"), medium=WEB, use_key="")
    return (
        ArticlePage.objects.published()
        .filter(~Exists(web_grade))
        .order_by("first_published_at", "pk")
    )


def ungraded_print_uses(start=None, end=None) -> list[Use]:
    """Printings of stories (pages sent to the printer) nobody has graded yet, oldest first."""
    uses = [u for u in find_uses(start=start, end=end) if u.medium == PRINT]
    graded = set(
        Grade.objects.filter(medium=PRINT, use_key__in=[u.key for u in uses]).values_list(
            "use_key", flat=True
        )
    )
    return [u for u in uses if u.key not in graded]
