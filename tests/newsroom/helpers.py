"""Steps of the workflow tests: drafting, submitting, acting as a logged-in person."""

from tests.factories import ArticlePageFactory
from toasoan.newsroom.models import ArticlePage


def draft_by(user, section, **kwargs):
    return ArticlePageFactory(parent=section, owner=user, live=False, **kwargs)


def submit(page, user):
    page = ArticlePage.objects.get(pk=page.pk)
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def act(client, page, action, comment=""):
    page = ArticlePage.objects.get(pk=page.pk)
    state = page.current_workflow_task_state
    data = {"comment": comment} if comment else {}
    return client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{state.pk}/", data, follow=True
    )
