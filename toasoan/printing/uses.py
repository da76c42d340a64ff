"""What the print edition tells royalties: each story printed on a page sent to the printer
("đã gửi in") is one print use, graded apart from its web publication (royalties/uses.py).
`record_print_use` (planning.py) keeps which version went on which page of which issue."""

from datetime import date

from toasoan.royalties.uses import PRINT, Use

from .models import PrintUse

KEY_PREFIX = "bao-in-"


def as_use(row: PrintUse) -> Use:
    issue, revision = row.issue, row.revision
    if revision is not None:
        title, version = revision.title, f"bản in, phiên bản {revision.number}"
    else:
        title, version = row.story.title, "bản web (không cắt bản in riêng)"
    return Use(
        key=f"{KEY_PREFIX}{row.pk}",
        medium=PRINT,
        article_id=row.story_id,
        title=title,
        where=f"Báo in số {issue.number} ngày {issue.date:%d/%m/%Y}, trang {row.page_number}",
        version=version,
        used_on=issue.date,
    )


def print_uses(
    *,
    key: str | None = None,
    article_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[Use]:
    rows = PrintUse.objects.select_related("issue", "revision", "story")
    if key is not None:
        number = key.removeprefix(KEY_PREFIX)
        if not key.startswith(KEY_PREFIX) or not number.isdigit():
            return []
        rows = rows.filter(pk=int(number))
    if article_id is not None:
        rows = rows.filter(story_id=article_id)
    if start is not None:
        rows = rows.filter(issue__date__gte=start)
    if end is not None:
        rows = rows.filter(issue__date__lt=end)
    return [as_use(row) for row in rows.order_by("issue__date", "page_number", "pk")]
