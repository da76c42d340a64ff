"""RSS 2.0 feeds: the latest stories, and one per section (subsections included).

Items carry title, link, guid (the permanent URL), pubDate in +0700, the sapo as description,
categories (section and topics), pen names (dc:creator) and the cover photo both as an
<enclosure> and as a Media RSS <media:content> with its size. Only live stories, through
`ArticlePage.objects.published()`.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from toasoan.newsroom.models import ArticlePage, SectionPage, with_cover
from toasoan.newsroom.sizes import shown_sizes

from . import metadata
from .freshness import xml_safe

ITEMS = 50
FEED_RENDITION = "width-800|format-jpeg"


class MediaRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with the Media RSS namespace, for the cover photo's size and type."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:media": "http://search.yahoo.com/mrss/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for creator in item.get("creators", ()):
            handler.addQuickElement("dc:creator", creator)
        media = item.get("media")
        if media:
            handler.addQuickElement("media:content", "", media)


class StoriesFeed(Feed):
    """The latest stories of a section, or of the whole paper when no section is given."""

    feed_type = MediaRssFeed
    language = None  # the edition being served (Django's Feed then uses get_language())

    def get_object(self, request, section_path: str | None = None):
        self.request = request
        site = Site.find_for_request(request)
        if site is None:
            raise Http404("Không có trang báo")
        self.site, self.root = site, site.root_page.localized  # this edition's home
        self.section_titles = dict(
            SectionPage.objects.live().descendant_of(self.root).values_list("path", "title")
        )
        if section_path is None:
            return None
        section = (
            SectionPage.objects.live()
            .filter(url_path=f"{self.root.url_path}{section_path.strip('/')}/")
            .first()
        )
        if section is None:
            raise Http404("Không có chuyên mục này")
        return section

    def title(self, section):
        name = metadata.paper_name(self.request)
        return xml_safe(f"{name} — {section.title}" if section else f"{name} — {_('Latest news')}")

    def link(self, section):
        if section is None:
            return metadata.home_url(self.request)
        return metadata.absolute(self.request, section.get_url(self.request))

    def description(self, section):
        if section and section.intro:
            return xml_safe(section.intro)
        name = metadata.paper_name(self.request)
        return xml_safe(
            _("The latest %(section)s news from %(paper)s")
            % {"section": section.title, "paper": name}
            if section
            else _("The latest news from %(paper)s") % {"paper": name}
        )

    def feed_url(self, section):
        return metadata.absolute(
            self.request,
            metadata.feed_url(section, self.request)
            if section
            else reverse("syndication:feed-latest"),
        )

    def items(self, section):
        stories = ArticlePage.objects.published().descendant_of(section or self.root)
        return list(
            with_cover(stories.defer_streamfields(), FEED_RENDITION).prefetch_related(
                "tagged_topics__tag", "bylines__pen_name"
            )[:ITEMS]
        )

    def item_title(self, story):
        return xml_safe(story.title)

    def item_description(self, story):
        return xml_safe(story.lead)

    def item_link(self, story):
        return metadata.absolute(self.request, story.get_url(self.request))

    def item_guid_is_permalink(self, story):
        return True

    def item_pubdate(self, story):
        return timezone.localtime(story.first_published_at)  # printed as +0700

    def item_categories(self, story):
        parent = self.section_titles.get(story.path[: -Page.steplen])
        topics = [tagged.tag.name for tagged in story.tagged_topics.all()]
        return [xml_safe(c) for c in ([parent] if parent else []) + topics]

    def _cover(self, story):
        if story.cover_image is None:
            return None
        # Only a size already made (newsroom.sizes): none in the feed until it is.
        return shown_sizes(story.cover_image, (FEED_RENDITION,))[0].get(FEED_RENDITION)

    def item_enclosures(self, story):
        rendition = self._cover(story)
        if rendition is None:
            return []
        return [
            feedgenerator.Enclosure(
                metadata.absolute(self.request, rendition.url),
                str(rendition.file.size),
                "image/jpeg",
            )
        ]

    def item_extra_kwargs(self, story):
        extra = {"creators": [xml_safe(b.pen_name.name) for b in story.bylines.all()]}
        rendition = self._cover(story)
        if rendition is not None:
            extra["media"] = {
                "url": metadata.absolute(self.request, rendition.url),
                "medium": "image",
                "type": "image/jpeg",
                "width": str(rendition.width),
                "height": str(rendition.height),
            }
        return extra
