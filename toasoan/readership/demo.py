"""Demo view counts so "Đọc nhiều" has something to show after `make run` (idempotent)."""

from datetime import timedelta

from toasoan.newsroom.models import ArticlePage

from .counting import current_hour
from .models import HourlyViews


def load_demo_views(stories: list[ArticlePage]) -> int:
    if HourlyViews.objects.exists():
        return 0
    now = current_hour()
    rows = []
    for n, story in enumerate(stories[:14]):
        for hours_ago in (1, 5, 30, 80):
            views = (n * 37 + hours_ago * 11) % 90 + 10
            if hours_ago > 24 and n % 3 == 0:
                views *= 4  # some stories were big earlier in the week
            rows.append(
                HourlyViews(article=story, hour=now - timedelta(hours=hours_ago), views=views)
            )
    HourlyViews.objects.bulk_create(rows)
    return len(rows)
