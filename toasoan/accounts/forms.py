"""The staff sign-in form."""

from django.utils.translation import gettext_lazy
from wagtail.admin.forms.auth import LoginForm


class StaffLoginForm(LoginForm):
    """Wagtail's form, whose password field has no label of its own: Django would show the
    field's name, "Password", in English on the Vietnamese sign-in page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")
