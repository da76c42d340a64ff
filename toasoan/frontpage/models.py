"""The home page of an edition: editors' featured slots ("Nổi bật"), latest, section blocks."""

from django.db import models
from django.shortcuts import get_object_or_404
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page, PagePermissionTester

from toasoan.core.privacy import RestrictionsWhenAny
from toasoan.newsroom.models import ArticlePage, PenName, Topic

from . import listing

PLACE_FEATURED = "frontpage.place_featured"


class HomePagePermissions(PagePermissionTester):
    """Who may put an edition's home page live: besides those who publish, whoever places
    the "Nổi bật" stories (the managing editor). Page rights run down the tree, so "publish"
    on the home page would let them publish every story too; this right is the home page's
    own. Closing the paper to readers (view restrictions) stays with those who publish."""

    def can_publish(self) -> bool:
        if super().can_publish():
            return True
        return not self.page_is_root and self.can_edit() and self.user.has_perm(PLACE_FEATURED)

    def can_set_view_restrictions(self) -> bool:
        return super().can_publish()


class HomePage(RestrictionsWhenAny, RoutablePageMixin, Page):
    """An edition's front page; also serves topic and pen-name listings below it."""

    content_panels = Page.content_panels + [
        InlinePanel(
            "featured_slots",
            label="Nổi bật",
            heading="Nổi bật",
            help_text="Bài nổi bật trên trang chủ, theo thứ tự; bài hết hạn tự rời khỏi vị trí.",
        ),
    ]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["newsroom.SectionPage"]
    max_count_per_parent = 1
    admin_default_ordering = "ord"  # sections in menu order, not by last edit
    template = "frontpage/home_page.html"

    class Meta:
        verbose_name = "trang chủ"
        permissions = [("place_featured", "Đặt bài Nổi bật trên trang chủ")]

    def permissions_for_user(self, user) -> HomePagePermissions:
        return HomePagePermissions(user, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(listing.home_context(request, self))
        return context

    @path("")
    def front(self, request):
        return self.render(request)

    @path("chu-de/<slug:slug>/")
    def topic(self, request, slug):
        topic = get_object_or_404(Topic, slug=slug)
        return self._stories_of(request, "topic", topic, ArticlePage.objects.about(topic))

    @path("tac-gia/<slug:slug>/")
    def pen_name(self, request, slug):
        pen_name = get_object_or_404(PenName, slug=slug)
        return self._stories_of(
            request, "pen_name", pen_name, ArticlePage.objects.signed_by(pen_name)
        )

    def _stories_of(self, request, name: str, subject, stories):
        """The page of a topic or a pen name (`frontpage/<name>_page.html`, with `subject` as
        `name`): its stories in this edition, a page at a time."""
        context = {name: subject, "stories": listing.stories_page(request, self, stories)}
        return self.render(
            request, template=f"frontpage/{name}_page.html", context_overrides=context
        )


class FeaturedSlot(Orderable):
    """One "Nổi bật" position on an edition's home page, optionally until a given time."""

    home = ParentalKey(HomePage, related_name="featured_slots", on_delete=models.CASCADE)
    article = models.ForeignKey(
        ArticlePage,
        verbose_name="Bài viết",
        on_delete=models.CASCADE,
        related_name="featured_slots",
    )
    ends_at = models.DateTimeField(
        "Hết nổi bật lúc", null=True, blank=True, help_text="Để trống: nổi bật đến khi gỡ."
    )

    panels = [FieldPanel("article"), FieldPanel("ends_at")]

    class Meta(Orderable.Meta):
        verbose_name = "vị trí nổi bật"
