"""A small paper for the fault tests, made with the test factories in a separate process.

python -m tests.operations.seed            → makes it, prints its addresses as JSON
python -m tests.operations.seed publish ID → publishes draft story ID (queues its tasks)
"""

import json
import os
import sys

import django


def make() -> dict:
    from tests.factories import (
        ArticlePageFactory,
        HomePageFactory,
        PenNameFactory,
        SectionPageFactory,
    )

    home = HomePageFactory()
    section = SectionPageFactory(parent=home, title="Thời sự", slug="thoi-su")
    pen = PenNameFactory(name="V.A")
    stories = [
        ArticlePageFactory(parent=section, title=f"Tin thời sự số {n}", pen_names=[pen])
        for n in range(1, 6)
    ]
    draft = ArticlePageFactory(
        parent=section, title="Sạt lở ở Nam Trà My, hàng trăm hộ di dời", live=False
    )
    return {
        "home": "/",
        "section": section.url,
        "stories": [{"id": s.pk, "url": s.url} for s in stories],
        "draft": {"id": draft.pk, "title": draft.title},
    }


def publish(page_id: int) -> None:
    from toasoan.newsroom.models import ArticlePage

    ArticlePage.objects.get(pk=page_id).save_revision().publish()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toasoan.settings")
    django.setup()
    if sys.argv[1:2] == ["publish"]:
        publish(int(sys.argv[2]))
    else:
        print(json.dumps(make()))
