"""The masthead of the edition being served: its own name and footer, else the paper's."""

from django.conf import settings
from django.utils import translation

from toasoan.core.models import PaperSettings

from .models import EditionMasthead


def paper_for(request):
    """PaperSettings for the default edition; an edition's EditionMasthead when it has one."""
    code = translation.get_language()
    if code != settings.LANGUAGE_CODE:
        if not hasattr(request, "_edition_masthead"):
            request._edition_masthead = EditionMasthead.objects.filter(
                locale__language_code=code
            ).first()
        if request._edition_masthead is not None:
            return request._edition_masthead
    return PaperSettings.for_request(request)
