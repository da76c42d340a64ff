"""The idea follows its draft story: submitted for review → đã nộp, published → đã đăng."""

from wagtail.models import WorkflowState
from wagtail.signals import page_published, workflow_submitted

from toasoan.newsroom.models import ArticlePage


def _submitted(sender, instance: WorkflowState, user=None, **kwargs) -> None:
    from .ideas import story_submitted

    page = instance.content_object
    if isinstance(page, ArticlePage) or getattr(page, "specific_class", None) is ArticlePage:
        story_submitted(page, user)


def _published(sender, instance, **kwargs) -> None:
    from .ideas import story_published

    if isinstance(instance, ArticlePage):
        story_published(instance)


def connect() -> None:
    workflow_submitted.connect(_submitted, dispatch_uid="planning-story-submitted")
    page_published.connect(_published, dispatch_uid="planning-story-published")
