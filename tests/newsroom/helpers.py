"""Steps of the workflow tests: drafting, submitting, acting as a logged-in person."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import ArticlePageFactory
from toasoan.accounts.models import must_use_two_factor
from toasoan.newsroom.models import ArticlePage


def draft_by(user, section, **kwargs):
    return ArticlePageFactory(parent=section, owner=user, live=False, **kwargs)


def submit(page, user):
    page = ArticlePage.objects.get(pk=page.pk)
    page.save_revision(user=user)
    return page.get_workflow().start(page, user)


def client_for(user, **kwargs) -> Client:
    """A logged-in client; staff who must use two-factor sign-in have passed it."""
    client = Client(**kwargs)
    client.force_login(user)
    if must_use_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="thử", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def act(client, page, action, comment=""):
    page = ArticlePage.objects.get(pk=page.pk)
    state = page.current_workflow_task_state
    data = {"comment": comment} if comment else {}
    return client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{state.pk}/", data, follow=True
    )
