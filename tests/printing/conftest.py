"""The print desk's tests: the newsroom of the workflow tests, approved stories, an issue."""

from datetime import date

import pytest

from tests.factories import ArticlePageFactory
from tests.newsroom.conftest import newsroom  # noqa: F401 - the shared newsroom fixture
from toasoan.printing import planning
from toasoan.printing.samples import page_pdf


@pytest.fixture
def stories(newsroom):  # noqa: F811
    politics, economy = newsroom["sections"]
    return [
        ArticlePageFactory(
            parent=politics, title="Hoạt động thông tin đối ngoại", sapo="Sapo web."
        ),
        ArticlePageFactory(parent=economy, title="Giá lúa tăng sau mùa mưa", sapo="Sapo kinh tế."),
    ]


@pytest.fixture
def issue(db):
    return planning.create_issue(
        issue_date=date(2026, 12, 8), number=1234, page_count=4, sections=["Thời sự", "Kinh tế"]
    )


def sample_pdf(number: int, text: str = "Thông tin đối ngoại") -> bytes:
    return page_pdf(
        issue_date=date(2026, 12, 8),
        issue_number=1234,
        page_number=number,
        section="Thời sự",
        stories=[(f"Trang {number}: {text}", f"{text} của tỉnh được đẩy mạnh.")],
        photo_px=(300, 140),
    )
