"""“Đọc gì trên báo in ngày mai”: the evening story that announces tomorrow's highlights.

At the set hour the day before an issue comes out (the paper's hour, admin → Cài đặt → Báo in,
17:00 by default, or the issue's own), the stories planned with "Giới thiệu" ticked become a
draft web story — each teaser its print title, page number, sapo, link and photo — submitted
to its section's normal approval workflow (an editor still publishes it). Once per issue: a
draft deleted by the desk is not made again by the clock.

What looks at the clock: in `make run` a thread of the serving process (apps.py,
TOASOAN_SCHEDULER=inprocess); in production `manage.py print_teasers` from its systemd timer
(deploy/systemd/toasoan-print-teasers.*). The page plan also has a button to make it at once.
"""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.rich_text import RichText

from toasoan.newsroom.models import ArticlePage

from .models import PageSlot, PrintIssue, PrintSettings
from .versions import current_version


def highlights(issue: PrintIssue) -> list[PageSlot]:
    return list(
        PageSlot.objects.filter(page__issue=issue, highlight=True, story__isnull=False)
        .select_related("page", "story", "story__cover_image")
        .order_by("page__number", "sort_order")
    )


def _author(issue: PrintIssue):
    """Who the draft is from: whoever last moved one of the issue's pages, else an admin."""
    page = issue.pages.exclude(state_changed_by=None).order_by("-state_changed_at").first()
    if page is not None:
        return page.state_changed_by
    return get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def make_teaser(issue: PrintIssue, user=None) -> ArticlePage | None:
    """The draft story for `issue`, submitted for approval; None without highlights. Made once."""
    if issue.teaser_story_id:
        return issue.teaser_story
    slots = highlights(issue)
    if not slots:
        return None
    user = user or _author(issue)
    body = [
        (
            "paragraph",
            RichText(
                f"<p>Số báo in {issue.number} phát hành ngày {issue.date:%d/%m/%Y}, "
                f"{issue.page_count} trang, có những bài sau.</p>"
            ),
        )
    ]
    for slot in slots:
        story = slot.story
        version = current_version(story)
        body.append(
            (
                "paragraph",
                RichText(
                    f"<h2>Trang {slot.page.number}: {escape(version.title)}</h2>"
                    f"<p>{escape(version.sapo)}</p>"
                    f'<p>Đọc bản điện tử: <a linktype="page" id="{story.pk}">'
                    f"{escape(story.title)}</a></p>"
                ),
            )
        )
        if story.cover_image_id:
            body.append(("photo", {"image": story.cover_image, "wide": False}))
    section = slots[0].story.get_parent().specific
    with transaction.atomic():
        issue = PrintIssue.objects.select_for_update().get(pk=issue.pk)
        if issue.teaser_story_id:
            return issue.teaser_story
        teaser = ArticlePage(
            title=f"Đọc gì trên báo in ngày mai ({issue.date:%d/%m/%Y})",
            sapo=f"Những bài đáng chú ý trên báo in số {issue.number}, "
            f"phát hành ngày {issue.date:%d/%m/%Y}.",
            body=body,
            live=False,
            owner=user,
        )
        section.add_child(instance=teaser)
        teaser.save_revision(user=user)
        workflow = teaser.get_workflow()
        if workflow is not None:
            workflow.start(teaser, user)
        issue.teaser_story = teaser
        issue.teaser_made_at = timezone.now()
        issue.save(update_fields=["teaser_story", "teaser_made_at"])
    return teaser


def teaser_hour(issue: PrintIssue, paper_hour: time | None = None) -> time:
    """The issue's own hour, else the paper's."""
    if issue.teaser_hour is not None:
        return issue.teaser_hour
    return paper_hour or PrintSettings.load().teaser_hour


def due_issues(now: datetime | None = None) -> list[PrintIssue]:
    """Tomorrow's issues whose hour has come today and whose teaser was never made."""
    now = timezone.localtime(now)
    tomorrow = now.date() + timedelta(days=1)
    paper_hour = PrintSettings.load().teaser_hour
    return [
        issue
        for issue in PrintIssue.objects.filter(date=tomorrow, teaser_made_at=None)
        if teaser_hour(issue, paper_hour) <= now.time()
    ]


def make_due_teasers(now: datetime | None = None) -> list[ArticlePage]:
    """What the clock runs every minute: each due issue's teaser, made once."""
    made = []
    for issue in due_issues(now):
        teaser = make_teaser(issue)
        if teaser is not None:
            made.append(teaser)
    return made
