"""The masthead of the edition being served: its own name and footer, else the paper's."""

from django.conf import settings
from django.utils import translation
from wagtail.models import Site

from toasoan.core.models import PaperSettings
from toasoan.delivery.changes import remembered

from .models import EditionMasthead


def paper_for(request):
    """PaperSettings for the default edition; an edition's EditionMasthead when it has one."""
    code = translation.get_language()
    if code != settings.LANGUAGE_CODE:
        masthead = remembered(
            f"edition-masthead:{code}",
            lambda: EditionMasthead.objects.filter(locale__language_code=code).first(),
        )
        if masthead is not None:
            return masthead
    site = Site.find_for_request(request)
    if site is None:
        return PaperSettings.for_request(request)
    return remembered(f"paper-settings:{site.pk}", lambda: PaperSettings.for_site(site))
