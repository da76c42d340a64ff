from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "toasoan.live"
    label = "live"
    verbose_name = "Trực tiếp"

    def page_context(self, page, request) -> dict:
        from .reading import page_context

        return page_context(page, request)

    def ready(self) -> None:
        # A live blog is created inside a section, beside its stories. The section's own
        # list of child types (newsroom, a floor below) names no app above it, so the type
        # is added here, before Wagtail first reads (and caches) the list.
        from django.db.models.signals import post_migrate

        from toasoan.newsroom.models import SectionPage

        post_migrate.connect(_grant_roles, sender=self)
        if "live.LiveBlogPage" not in SectionPage.subpage_types:
            SectionPage.subpage_types = [*SectionPage.subpage_types, "live.LiveBlogPage"]


def _grant_roles(**kwargs) -> None:
    """After every migrate (when the permissions exist): the role groups get the desk's."""
    from .roles import grant_live_roles

    grant_live_roles()
