"""“Đọc gì trên báo in ngày mai”: made at the set hour from the highlights, as a draft in the
normal approval flow."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.management import call_command
from django.utils import timezone

from tests.factories import PhotoFactory
from tests.staff import client_for
from toasoan.newsroom.models import ArticlePage
from toasoan.printing import planning
from toasoan.printing.models import PrintIssue, PrintSettings
from toasoan.printing.teaser import make_due_teasers
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


def _issue_with_a_highlight(stories, day, number):
    issue = planning.create_issue(issue_date=day, number=number, page_count=4)
    slot = planning.place_story(issue.pages.get(number=2), stories[0])
    slot.highlight = True
    slot.save()
    return issue


def test_the_clock_makes_the_teaser_at_the_papers_hour_once(newsroom, stories):
    """No hour on the issue: the paper's (17:00 Vietnam time by default, changeable), then the
    scheduler's every-minute look makes it once, even if the desk deletes the draft."""
    vietnam = timezone.get_default_timezone()
    evening = datetime(2026, 12, 7, 16, 59, tzinfo=vietnam)
    with time_machine.travel(evening, tick=False):
        issue = _issue_with_a_highlight(stories, date(2026, 12, 8), 4100)
        assert issue.teaser_hour is None
        desk = client_for(newsroom["people"]["tkts"])
        plan = desk.get(f"/admin/bao-in/so/{issue.pk}/").content.decode()
        assert "lúc 17:00 hôm trước ngày phát hành (giờ chung của tờ báo" in plan
        assert make_due_teasers() == []  # 16:59
    with time_machine.travel(evening + timedelta(minutes=1), tick=False):
        made = make_due_teasers()
        assert make_due_teasers() == []  # the next minute: already made
    assert [t.title for t in made] == ["Đọc gì trên báo in ngày mai (08/12/2026)"]
    teaser = made[0]
    assert not teaser.live and teaser.workflow_in_progress
    issue.refresh_from_db()
    assert issue.teaser_story_id == teaser.pk
    # The desk deletes the draft: the clock does not make it again.
    teaser.delete()
    with time_machine.travel(evening + timedelta(minutes=5), tick=False):
        assert make_due_teasers() == []
        # Asked the same evening: the desk's sign-in of 16:59 has not lapsed (10 hours).
        assert (
            "rồi bị xoá: đồng hồ không lập lại"
            in desk.get(f"/admin/bao-in/so/{issue.pk}/").content.decode()
        )

    # The paper moves its hour to 18:30: tomorrow's issue waits for it.
    settings_row = PrintSettings.load()
    settings_row.teaser_hour = time(18, 30)
    settings_row.save()
    next_evening = evening + timedelta(days=1, minutes=1)
    with time_machine.travel(next_evening, tick=False):
        later = _issue_with_a_highlight(stories, date(2026, 12, 9), 4101)
        assert make_due_teasers() == []  # 17:00
    with time_machine.travel(next_evening + timedelta(minutes=90), tick=False):
        call_command("print_teasers")
    later.refresh_from_db()
    assert later.teaser_story is not None and not later.teaser_story.live


def test_the_scheduler_thread_runs_in_make_run_only(settings, monkeypatch):
    from toasoan.printing import apps

    started = []
    monkeypatch.setattr(apps, "start_teasers", lambda interval: started.append(interval))
    monkeypatch.setattr("toasoan.core.scheduler.is_serving_process", lambda: True)
    config = django_apps.get_app_config("printing")
    settings.TOASOAN = {**settings.TOASOAN, "SCHEDULER": "off"}
    config.ready()
    assert started == []
    settings.TOASOAN = {**settings.TOASOAN, "SCHEDULER": "inprocess"}
    config.ready()
    assert started == [apps.TEASER_INTERVAL]
