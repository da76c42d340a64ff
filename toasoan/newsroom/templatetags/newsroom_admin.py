"""Admin template tags of the newsroom."""

from django import template
from wagtail.models import Page, PageLogEntry

from toasoan.core.text import short_datetime

from ..workflow import display_name

register = template.Library()

PUBLISHED = ("wagtail.publish", "wagtail.publish.scheduled")


@register.simple_tag
def story_publication(page) -> str:
    """Who published the live version, for the status panel — Wagtail credits the author of
    the revision (the reporter), not the editor who published it."""
    if not isinstance(page, Page) or not page.pk or not page.live:
        return ""  # the status panel is shared with snippets (comments…): pages only
    entries = PageLogEntry.objects.filter(page_id=page.pk).select_related("user")
    published = entries.filter(action__in=PUBLISHED).order_by("-timestamp", "-pk").first()
    if published is None:
        return ""
    when = short_datetime(published.timestamp)
    if published.user_id:
        return f"Xuất bản lúc {when}, bởi {display_name(published.user)}"
    scheduled = (
        entries.filter(action="wagtail.publish.schedule", timestamp__lte=published.timestamp)
        .order_by("-timestamp", "-pk")
        .first()
    )
    if scheduled is not None and scheduled.user_id:
        return f"Tự xuất bản theo lịch lúc {when}, do {display_name(scheduled.user)} đặt lịch"
    return f"Xuất bản lúc {when}"
