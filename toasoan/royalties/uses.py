"""Uses of a story graded apart from its web publication — the print edition's pages.

The royalty regulation grades each medium on its own (Nghị định 18/2014/NĐ-CP pays a work
for each medium that carries it): a story published on the web and printed on page 3 of
tomorrow's issue is graded twice, once as web use and once as print use. Royalties stands
below the apps that know those other uses, so it never imports them: an app reports its uses
through the `toasoan_royalty_uses` Wagtail hook, a function taking the keyword filters below
and returning `Use`s (printing/wagtail_hooks.py reports pages sent to the printer).
"""

from dataclasses import dataclass
from datetime import date

from wagtail import hooks

WEB = "web"
PRINT = "in"
MEDIA = [(WEB, "Báo điện tử"), (PRINT, "Báo in")]
HOOK = "toasoan_royalty_uses"


@dataclass(frozen=True)
class Use:
    """One use of a story in another medium, as the accountant reads it."""

    key: str  # stable and unique among all uses, also in URLs (e.g. "bao-in-12")
    medium: str
    article_id: int
    title: str  # the title as used (the print title)
    where: str  # e.g. "Báo in số 12 ngày 08/12/2026, trang 3"
    version: str  # which version was used, e.g. "bản in, phiên bản 2"
    used_on: date

    @property
    def label(self) -> str:
        return f"{self.where} ({self.version})" if self.version else self.where

    @property
    def medium_label(self) -> str:
        return dict(MEDIA).get(self.medium, self.medium)


def find_uses(
    *,
    key: str | None = None,
    article_id: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[Use]:
    """Every use the apps report, filtered (start inclusive, end exclusive), oldest first."""
    found: list[Use] = []
    for report in hooks.get_hooks(HOOK):
        found.extend(report(key=key, article_id=article_id, start=start, end=end))
    return sorted(found, key=lambda u: (u.used_on, u.key))


def use_of(key: str) -> Use | None:
    return next(iter(find_uses(key=key)), None)
