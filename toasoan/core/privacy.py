"""Wagtail's privacy check (view restrictions, passwords) at the cost of no query while the
paper has no restriction at all, as most papers have none.

Wagtail asks, for every page it serves, for the page's ancestors (aliases resolved) and then
for their restrictions: two queries on every cold render of a story, a section or the home
page. Whether any restriction exists is kept in each worker until the frame changes;
adding, changing or lifting one is such a change (core/signals.py), so a new restriction
applies at once on every worker.
"""

from wagtail.models import PageViewRestriction

from .changes import framed


def any_view_restriction() -> bool:
    return framed("core:any-view-restriction", PageViewRestriction.objects.exists)


class RestrictionsWhenAny:
    """Page mixin: `get_view_restrictions()` answers "none" without a query while the paper
    has none anywhere."""

    def get_view_restrictions(self):
        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
