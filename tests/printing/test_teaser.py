"""“Đọc gì trên báo in ngày mai”: made at the set hour from the highlights, as a draft in the
normal approval flow."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.factories import PhotoFactory
from toasoan.newsroom.models import ArticlePage
from toasoan.printing import planning
from toasoan.printing.models import PrintIssue
from toasoan.printing.versions import print_version_for, save_version

pytestmark = pytest.mark.django_db


def test_the_teaser_is_made_at_the_set_hour_and_awaits_approval(newsroom, stories):
    now = timezone.make_aware(datetime(2026, 12, 7, 16, 0))
    with time_machine.travel(now, tick=False):
        issue = planning.create_issue(
            issue_date=now.date() + timedelta(days=1), number=4000, page_count=4
        )
        PrintIssue.objects.filter(pk=issue.pk).update(teaser_hour=time(17, 0))
        stories[0].cover_image = PhotoFactory()
        stories[0].save()
        slot = planning.place_story(issue.pages.get(number=3), stories[0])
        planning.place_story(issue.pages.get(number=1), stories[1])  # not a highlight
        slot.highlight = True
        slot.save()
        save_version(
            print_version_for(stories[0]),
            title="Tít in đối ngoại",
            sapo="Sapo in.",
            body="x",
            user=None,
        )
        call_command("print_teasers")
        assert ArticlePage.objects.filter(title__startswith="Đọc gì").count() == 0  # 16:00
    with time_machine.travel(now + timedelta(hours=1, minutes=1), tick=False):
        call_command("print_teasers")
        call_command("print_teasers")  # made once
    teasers = ArticlePage.objects.filter(title__startswith="Đọc gì trên báo in ngày mai")
    assert teasers.count() == 1
    teaser = teasers.get()
    assert not teaser.live
    assert teaser.workflow_in_progress  # the section's approval chain, like any story
    html = "".join(str(block) for block in teaser.body)
    assert "Trang 3: Tít in đối ngoại" in html
    assert f'id="{stories[0].pk}"' in teaser.body.raw_data[1]["value"]  # link to the web story
    assert stories[1].title not in html
    assert [b.block_type for b in teaser.body] == ["paragraph", "paragraph", "photo"]
