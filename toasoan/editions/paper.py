"""What the paper says about itself: its name, tagline, licence and address, per edition.

The one place they are read. The Vietnamese edition's come from "Thông tin tờ báo"
(core.PaperSettings, one per site, first named after the SITE_NAME setting); another edition
shows its own masthead (EditionMasthead) when it has one."""

from django.conf import settings
from django.utils import translation
from wagtail.models import Site

from toasoan.core.changes import framed
from toasoan.core.models import PaperSettings

from .models import EditionMasthead


def paper_for(request):
    """The paper as the edition being served presents it (masthead, footer, feeds, JSON-LD)."""
    code = translation.get_language()
    if code != settings.LANGUAGE_CODE:
        masthead = framed(
            f"edition-masthead:{code}",
            lambda: EditionMasthead.objects.filter(locale__language_code=code).first(),
        )
        if masthead is not None:
            return masthead
    return paper_of_site(Site.find_for_request(request))


def paper_of_site(site: Site | None = None) -> PaperSettings:
    """The paper's own settings (the default site's unless told), for work outside a
    reader's request: payment lists, the newsroom's replies to comments, the API."""
    site = site or framed("default-site", lambda: Site.objects.filter(is_default_site=True).first())
    if site is None:
        return PaperSettings()  # no site yet: the defaults
    return framed(f"paper-settings:{site.pk}", lambda: PaperSettings.for_site(site))


def _default_site() -> Site | None:
    return Site.objects.filter(is_default_site=True).first()


def paper_name() -> str:
    return paper_of_site().name
