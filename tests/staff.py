"""Staff in tests: a signed-in Django test client, as the admin sees a person after sign-in."""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from toasoan.accounts.models import must_use_two_factor


def client_for(user, **kwargs) -> Client:
    """A logged-in client; staff who must use two-factor sign-in have passed it."""
    client = Client(**kwargs)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if must_use_two_factor(user):
        device = TOTPDevice.objects.create(user=user, name="thử", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
