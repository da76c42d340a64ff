"""The newsroom's content: sections, articles, pen names, topics and photos.

Articles are Wagtail pages under section pages, so they get per-section permissions,
workflows, revisions and scheduling. Their public URL is `/<section path>/<slug>-<id>.html`;
the id is what finds the story, so any other slug or section path redirects to it.
"""

import re
import threading
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import get_language
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from PIL import Image as PILImage
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
)
from wagtail.fields import StreamField
from wagtail.images.image_operations import (
    AvifQualityOperation,
    FormatOperation,
    JPEGQualityOperation,
    MinMaxOperation,
    WebPQualityOperation,
    WidthHeightOperation,
)
from wagtail.images.models import (
    AbstractImage,
    AbstractRendition,
    Filter,
    WagtailImageFieldFile,
)
from wagtail.log_actions import log
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page, PageManager, Workflow
from wagtail.query import PageQuerySet
from wagtail.search import index
from willow.image import Image as WillowImage
from willow.plugins.pillow import PillowImage

from toasoan.core.changes import forget_kept, framed, kept, kept_here, versioned
from toasoan.core.compiled import Compiled
from toasoan.core.paging import page_of
from toasoan.core.privacy import RestrictionsWhenAny
from toasoan.core.tasks import awaiting_worker, watching_for_stand_ins
from toasoan.core.text import nfc, tidy_text_fields, vi_slug, vi_sort_key
from toasoan.core.worker_copies import give_back_native_memory

from . import photo_budget
from .blocks import ArticleBodyBlock, CorrectionBlock
from .pictures import LISTING_RENDITIONS, recently_shown

RELATED_POOL = 400  # topic links looked at for a story's related stories (the latest)
RELATED_SECONDS = 10 * 60  # how long the choice of a story's related stories is kept


PHOTO_TEXT_HELP = (
    "Chú thích và tác giả ảnh đi theo ảnh: nhập khi tải ảnh lên; muốn sửa, chọn “Sửa ảnh này” "
    "trong nút ••• cạnh ảnh."
)


class Photo(AbstractImage):
    """A newsroom photo: the caption and the photographer's credit travel with the image.

    They are entered once, at upload (or on the photo's own page), never again in a story:
    every story showing the photo shows them."""

    caption = models.CharField(
        "Chú thích",
        max_length=500,
        blank=True,
        help_text="Hiện dưới ảnh trong mọi bài dùng ảnh này.",
    )
    credit = models.CharField(
        "Tác giả ảnh", max_length=120, blank=True, help_text="Bút danh, hiện thành “Ảnh: …”."
    )

    admin_form_fields = (
        "file",
        "caption",
        "credit",
        "title",
        "description",
        "collection",
        "tags",
        "focal_point_x",
        "focal_point_y",
        "focal_point_width",
        "focal_point_height",
    )
    search_fields = AbstractImage.search_fields + [index.SearchField("caption")]

    class Meta(AbstractImage.Meta):
        verbose_name = "ảnh"
        verbose_name_plural = "ảnh"
        permissions = [("choose_image", "Can choose image")]

    @property
    def alt_text(self) -> str:
        return self.description or self.caption or self.title

    def get_renditions(self, *filters: Filter | str) -> dict:
        """Wagtail's, with each filter spec parsed once per process: its tags build a new
        Filter per photo and size, and each parses its spec again (introspecting every
        operation's arguments), a third of a card-heavy page's rendering time."""
        return super().get_renditions(*(shared_filter(f) for f in filters))

    def create_rendition(self, filter: Filter):
        """Wagtail's, within this worker's budget of large-photo decodes (photo_budget); a
        large JPEG only shrunk (max-, width-, height-) is decoded at the smallest of 1/2,
        1/4, 1/8 scale still larger than the result (libjpeg's DCT scaling): the library's
        165-pixel thumbnail of a 40-MP photo needs a 1,000 × 625 decode, not 40 MP."""
        pixels = (self.width or 0) * (self.height or 0)
        with photo_budget.decoding(pixels):
            if photo_budget.is_large(pixels) and all(
                isinstance(o, _SHRINK_ONLY) for o in filter.operations
            ):
                _draft.size = max(filter.get_transform(self).size)
            try:
                return super().create_rendition(filter)
            finally:
                _draft.size = None

    @contextmanager
    def get_willow_image(self):
        """Wagtail's, or a JPEG decoded at a reduced scale (create_rendition)."""
        size = getattr(_draft, "size", None)
        if not size:
            with super().get_willow_image() as willow_image:
                yield willow_image
            return
        with self.open_file() as image_file:
            image = PILImage.open(image_file)
            if image.format != "JPEG":
                image_file.seek(0)
                yield WillowImage.open(image_file)
                return
            image.draft("RGB", (size, size))  # both sides ≥ size, whatever the orientation
            image.load()
            willow_image = PillowImage(image)
            willow_image.format_name = "jpeg"  # what Filter.run reads of the file it opened
            yield willow_image

    def create_renditions(self, *filters: Filter) -> dict:
        """Wagtail's; a large photo's sizes are made one after the other in one slot, not
        decoded three times at once in Wagtail's threads; then the encoders' memory is
        handed back (a reader's first view of a photo makes its sizes in the web worker
        when no task worker has)."""
        pixels = (self.width or 0) * (self.height or 0)
        try:
            if len(filters) < 2 or not photo_budget.is_large(pixels):
                return super().create_renditions(*filters)
            with photo_budget.decoding(pixels):
                return {f: self.create_rendition(f) for f in filters}
        finally:
            if filters:
                give_back_native_memory()  # the encoders' memory (a web worker made them)


_FILTERS: dict[str, Filter] = {}
_SHRINK_ONLY = (
    MinMaxOperation,
    WidthHeightOperation,
    FormatOperation,
    JPEGQualityOperation,
    WebPQualityOperation,
    AvifQualityOperation,
)
_draft = threading.local()  # the size a large JPEG being rendered may be decoded at


def shared_filter(spec: Filter | str) -> Filter:
    if isinstance(spec, str):
        return _FILTERS.get(spec) or _FILTERS.setdefault(spec, Filter(spec=spec))
    if type(spec) is Filter:
        return _FILTERS.setdefault(spec.spec, spec)
    return spec


class PhotoFieldFile(WagtailImageFieldFile):
    """A photo file whose width and height are read from its header. Wagtail's asks Willow,
    which decodes the whole image for its size: 160 MB to validate one 40-MP upload."""

    def get_image_dimensions(self):
        close = self.closed
        try:
            self.open()
            with PILImage.open(self) as image:
                return image.size
        except (OSError, SyntaxError, ValueError):  # a format Pillow does not read
            return super().get_image_dimensions()
        finally:
            if close:
                self.close()
            else:
                self.seek(0)


Photo._meta.get_field("file").attr_class = PhotoFieldFile  # not in migrations: behaviour only


class PhotoRendition(AbstractRendition):
    image = models.ForeignKey(Photo, related_name="renditions", on_delete=models.CASCADE)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class PenName(index.Indexed, models.Model):
    """A byline name (bút danh). Bylines show pen names, never user names."""

    name = models.CharField("Bút danh", max_length=120, unique=True)
    slug = models.SlugField("Đường dẫn", max_length=140, unique=True, blank=True)
    staff_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Thuộc nhân sự",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pen_names",
    )
    outside_contributor = models.CharField(
        "Cộng tác viên bên ngoài",
        max_length=200,
        blank=True,
        help_text="Họ tên thật của cộng tác viên không có tài khoản (nội bộ, không hiển thị).",
    )
    bio = models.TextField("Giới thiệu", blank=True)
    # Vietnamese alphabetical order ("DŨNG" < "ĐÔNG HÀ" < "EM"), which no database collation
    # gives: the name's vi_sort_key, kept up to date on save.
    sort_name = models.CharField(max_length=400, editable=False, db_index=True, default="")

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("staff_member"),
        FieldPanel("outside_contributor"),
        FieldPanel("bio"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = "bút danh"
        verbose_name_plural = "bút danh"
        ordering = ["sort_name", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name).strip()
        self.slug = vi_slug(self.slug or self.name) or "but-danh"
        self.sort_name = vi_sort_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        if not self.staff_member and not self.outside_contributor:
            raise ValidationError(
                "Bút danh phải thuộc một nhân sự hoặc ghi họ tên cộng tác viên bên ngoài."
            )


class Topic(TagBase):
    """A topic (chủ đề): a tag whose slug folds Vietnamese (đ→d) instead of dropping letters."""

    class Meta:
        verbose_name = "chủ đề"
        verbose_name_plural = "chủ đề"

    def slugify(self, tag, i=None):
        slug = vi_slug(tag, max_length=90) or "chu-de"
        return f"{slug}-{i}" if i is not None else slug


class ArticleTopic(ItemBase):
    tag = models.ForeignKey(Topic, related_name="tagged_articles", on_delete=models.CASCADE)
    content_object = ParentalKey(
        "newsroom.ArticlePage", related_name="tagged_topics", on_delete=models.CASCADE
    )


class SectionPage(RestrictionsWhenAny, Page):
    """A section (chuyên mục) or subsection; its listing includes its subsections' stories."""

    intro = models.CharField("Giới thiệu", max_length=300, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    # Parents: the page types that list SectionPage among their subpage_types (an edition's
    # home, a section); can_create_at keeps sections off the bare tree root.
    subpage_types = ["newsroom.SectionPage", "newsroom.ArticlePage"]
    admin_default_ordering = "-latest_revision_created_at"
    # Rendered with newsroom/section_page.html, which the public site (frontpage) provides.

    class Meta:
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"

    @classmethod
    def can_create_at(cls, parent) -> bool:
        return parent.depth > 1 and super().can_create_at(parent)

    def full_clean(self, *args, **kwargs):
        self.slug = vi_slug(self.slug or self.title, max_length=60)
        super().full_clean(*args, **kwargs)

    def articles(self):
        """Live stories of this section and its subsections, newest first, as listings
        show them (without their bodies)."""
        return ArticlePage.objects.listed().descendant_of(self)

    def subsections(self):
        return self.get_children().live().type(SectionPage).specific()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["stories"] = covered_page(
            page_of(request, self.articles(), settings.TOASOAN["PAGE_SIZE"])
        )
        return context


class ArticleKind(models.TextChoices):
    TIN = "tin", "Tin"
    BAI = "bai", "Bài"
    PHONG_SU = "phong-su", "Phóng sự"
    PHONG_VAN = "phong-van", "Phỏng vấn"
    BINH_LUAN = "binh-luan", "Bình luận"
    ANH = "anh", "Ảnh"
    VIDEO = "video", "Video"
    INFOGRAPHIC = "infographic", "Infographic"
    PODCAST = "podcast", "Podcast"


def story_path(page_path: str, slug: str, pk: int) -> str:
    """A story's public path from Wagtail's (`/thoi-su/de-bien/` → `/thoi-su/de-bien-12.html`)."""
    section_path = page_path.rstrip("/").rsplit("/", 1)[0]
    return f"{section_path}/{slug}-{pk}.html"


class ArticlePageQuerySet(PageQuerySet):
    """The one gate for public listings: what a reader may see, in the order they see it."""

    def published(self):
        """Every story a reader may see, newest first."""
        return self.live().order_by("-first_published_at", "-pk")

    def listed(self):
        """`published()` as listings show them: every field but the body, the longest one by
        far (reading and decoding it was a third of a home page's database time)."""
        return self.published().defer("body")

    def about(self, topic: "Topic"):
        return self.listed().filter(tagged_topics__tag=topic)

    def signed_by(self, pen_name: "PenName"):
        return self.listed().filter(bylines__pen_name=pen_name)


class ArticlePage(RestrictionsWhenAny, Page):
    """A story (tin, bài, phóng sự…) in a section."""

    changes_frame = False  # no menu, site or section list shows a story (core.signals)
    kind = models.CharField(
        "Thể loại", max_length=20, choices=ArticleKind.choices, default=ArticleKind.TIN
    )
    lead_prefix = models.CharField(
        "Tiền tố sapo",
        max_length=20,
        blank=True,
        help_text="Ví dụ “(QNO)”: hiện trước sapo, nối bằng “ - ”.",
    )
    sapo = models.TextField("Sapo", max_length=1000)
    body = StreamField(ArticleBodyBlock(), verbose_name="Nội dung", blank=True)
    cover_image = models.ForeignKey(
        Photo,
        verbose_name="Ảnh đại diện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topics = ClusterTaggableManager(
        "Chủ đề", through=ArticleTopic, blank=True, related_name="articles"
    )
    is_breaking = models.BooleanField(
        "Tin nóng",
        default=False,
        help_text="Đi làn tin nóng: Thư ký tòa soạn hoặc Tổng biên tập duyệt một lần là xuất bản.",
    )
    corrections = StreamField(
        [("correction", CorrectionBlock())],
        verbose_name="Đính chính",
        blank=True,
        help_text="Mỗi lần đính chính hiện trên bài, kèm thời điểm.",
    )

    # content_panels and the form: newsroom/editing.py (they need the admin's forms and
    # the workflow, which need these models).
    promote_panels = [
        MultiFieldPanel([FieldPanel("seo_title"), FieldPanel("search_description")], heading="SEO"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("sapo"),
        index.SearchField("body"),
        index.FilterField("first_published_at"),
    ]
    parent_page_types = ["newsroom.SectionPage"]
    subpage_types: list[str] = []
    # Rendered with newsroom/article_page.html, which the public site (frontpage) provides.

    objects = PageManager.from_queryset(ArticlePageQuerySet)()

    class Meta:
        verbose_name = "bài viết"
        verbose_name_plural = "bài viết"

    # --- text in ---------------------------------------------------------------
    def _set_core_field_defaults(self):
        """Text tidied before the revision is written (not only at save); the slug always
        follows the title (the id is what finds the page)."""
        tidy_text_fields(self)
        self.sapo = self.sapo.strip()
        if not re.fullmatch(rf"{re.escape(self.slug_base())}(-\d+)?", self.slug or ""):
            self.slug = ""  # Wagtail then picks a free one among the siblings, from our base
        super()._set_core_field_defaults()

    def _get_autogenerated_slug(self, base_slug):
        return super()._get_autogenerated_slug(self.slug_base())

    def slug_base(self) -> str:
        return vi_slug(self.title) or "bai-viet"

    def get_workflow(self):
        """Breaking news (tin nóng) takes the single-approval lane instead of the section's."""
        if self.is_breaking:
            lane = (
                Workflow.objects.filter(
                    active=True, workflow_tasks__task__breakingnewstask__active=True
                )
                .order_by("pk")
                .first()
            )
            if lane is not None:
                return lane
        return super().get_workflow()

    # --- reading -------------------------------------------------------------
    def get_url_parts(self, request=None):
        """`/<section path>/<slug>-<id>.html` instead of Wagtail's `/<section>/<slug>/`."""
        parts = super().get_url_parts(request=request)
        if not parts or parts[2] is None:
            return parts
        site_id, root_url, page_path = parts
        return site_id, root_url, story_path(page_path, self.slug, self.pk)

    @property
    def lead(self) -> str:
        """The sapo as printed: “(QNO) - Sáng nay …”."""
        return f"{self.lead_prefix} - {self.sapo}" if self.lead_prefix else self.sapo

    # A photo's caption and credit are entered once, with the photo (see Photo).
    @property
    def cover_caption_text(self) -> str:
        return self.cover_image.caption if self.cover_image else ""

    @property
    def cover_credit_text(self) -> str:
        return self.cover_image.credit if self.cover_image else ""

    @property
    def cover_in_body(self) -> bool:
        """True when the body already shows the cover photo (so the page shows it once)."""
        return any(
            block.block_type == "photo" and block.value["image"] == self.cover_image
            for block in self.body
        )

    @property
    def was_updated(self) -> bool:
        """Shown as "Cập nhật" when republished more than ten minutes after first publication."""
        first, last = self.first_published_at, self.last_published_at
        return bool(first and last and (last - first).total_seconds() > 600)

    # The story page asks for these more than once (byline, JSON-LD, Open Graph, breadcrumbs):
    # read once per page instance, which lives for one request.
    def keep_published_facts(self) -> None:
        """For the published version being served (never a preview): its pen names and
        topics, kept per version like its related stories. Bylines and topics change only
        with a new publication; a renamed pen name or topic shows as soon as the page caches
        would show it anyway (neither bumps the content generation)."""
        version = self.last_published_at and self.last_published_at.timestamp()
        if not version:
            return
        facts = kept(
            f"newsroom:story-facts:{self.pk}:{version}",
            lambda: (self.pen_names(), self.topic_list()),
            RELATED_SECONDS,
        )
        self._pen_names, self._topic_list = facts
        self._published_version = version

    def published_body(self, render: Callable[[], str]) -> tuple[bool, str]:
        """Whether the body shows the cover photo, and the body as `render()` makes it: for
        the published version being served (`keep_published_facts`), kept in this worker
        until the next content change and per language (a body's links name other pages,
        its photos' captions are translated around), up to changes.KEPT_SECONDS. Reading a
        body is most of a story page's work: its blocks decoded, its photos read from the
        database, its text's links expanded, each photo's figure found. A body that showed a
        stand-in (a photo size still being made, core.tasks) is not kept, and the answer is
        marked as showing one. A preview is always rendered afresh."""

        def build() -> tuple[bool, str, bool]:
            with watching_for_stand_ins() as stand_ins:
                return self.cover_in_body, render(), stand_ins()

        version = getattr(self, "_published_version", None)
        if version is None:
            return build()[:2]
        key = versioned(f"newsroom:story-body:{self.pk}:{version}:{get_language()}")
        cover_in_body, html, with_stand_ins = kept_here(key, build)
        if with_stand_ins:
            forget_kept(key)  # the next reader's page picks up the sizes made meanwhile
            awaiting_worker()
        return cover_in_body, html

    def pen_names(self) -> list["PenName"]:
        if not hasattr(self, "_pen_names"):
            self._pen_names = [b.pen_name for b in self.bylines.select_related("pen_name")]
        return self._pen_names

    def topic_list(self) -> list["Topic"]:
        if not hasattr(self, "_topic_list"):
            self._topic_list = list(self.topics.all())
        return self._topic_list

    def ancestor_list(self) -> list[Page]:
        """The root, home and sections above this story. The same for every story of a
        section, so kept in this worker until the frame changes (publishing, moving or
        renaming a section changes it): a story's render spends no query on them."""
        if not hasattr(self, "_ancestor_list"):
            parent = self.path[: -self.steplen]
            self._ancestor_list = framed(
                f"newsroom:ancestors:{parent}", lambda: list(self.get_ancestors())
            )
        return self._ancestor_list

    def section(self) -> "SectionPage | None":
        parent = self.get_parent()
        return parent.specific if parent else None

    def _sharing_topics(self, others, limit: int) -> list[int]:
        """The stories sharing most topics with this one, among the latest RELATED_POOL
        topic links: counting over every story of a topic as common as "Quảng Nam" would
        cost a scan of a whole archive on every page view."""
        topic_ids = [topic.pk for topic in self.topic_list()]
        if not topic_ids:
            return []
        links = (
            ArticleTopic.objects.filter(tag_id__in=topic_ids)
            .exclude(content_object_id=self.pk)
            .order_by("-content_object_id")
            .values_list("content_object_id", flat=True)[:RELATED_POOL]
        )
        shared = Counter(links)
        if not shared:
            return []
        candidates = sorted(shared, key=lambda pk: (-shared[pk], -pk))[: limit * 4]
        found = others.filter(pk__in=candidates).values_list("pk", "first_published_at")
        ranked = sorted(found, key=lambda row: (-shared[row[0]], -row[1].timestamp()))
        return [pk for pk, _ in ranked[:limit]]

    def related_stories(self, limit: int = 5) -> list["ArticlePage"]:
        """The related stories (body left out) with their covers, in one query.

        Which stories they are is kept RELATED_SECONDS per published version of this story
        (finding them is most of a story page's work, and a publish elsewhere, which empties
        the page caches, changes them rarely); the stories themselves until the next content
        change, so an unpublished, moved or retitled one never shows."""
        version = self.last_published_at and self.last_published_at.timestamp()
        if not version:  # a preview: always worked out afresh
            return _listed_with_covers(self._related_ids(limit))
        key = f"newsroom:related:{self.pk}:{version}:{limit}"
        # Shared, and kept in this worker a little while (core.changes.kept).
        ids = kept(key, lambda: self._related_ids(limit), RELATED_SECONDS)
        if not ids:
            return []
        # The stories as read (with covers) are kept in this worker until the next content
        # change: publishing, unpublishing or moving any story bumps it.
        return kept_here(versioned(f"{key}:stories"), lambda: _listed_with_covers(ids))

    def _related_ids(self, limit: int) -> list[int]:
        """Stories the editor chose; else those sharing the most topics; else the section's.

        Always in this story's language: a chosen story in another language (links copied from
        the original of a translation) gives way to its version in this one, if any."""
        links = [link.article for link in self.related_links.select_related("article").all()]
        chosen = [a.pk for a in links if a and a.live and a.locale_id == self.locale_id]
        foreign = [a.translation_key for a in links if a and a.locale_id != self.locale_id]
        if foreign:
            chosen += (
                ArticlePage.objects.published()
                .filter(locale_id=self.locale_id, translation_key__in=foreign)
                .values_list("pk", flat=True)
            )
        if chosen:
            return chosen[:limit]
        others = (
            ArticlePage.objects.published().filter(locale_id=self.locale_id).exclude(pk=self.pk)
        )
        by_topic = self._sharing_topics(others, limit)
        if by_topic:
            return by_topic
        parent = self.get_parent()
        return list(others.child_of(parent).values_list("pk", flat=True)[:limit]) if parent else []

    def canonical_redirect(self, request):
        """A 301 to the story's one address (keeping the query) when asked by another path;
        None when the request is already there. Checked once per request."""
        from django.http import Http404, HttpResponsePermanentRedirect

        request.canonical_checked = True
        canonical = self.get_url(request)
        if not canonical:
            raise Http404("Không tìm thấy bài viết")
        if request.path == canonical or getattr(request, "is_preview", False):
            return None
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{canonical}?{query}" if query else canonical)

    def serve(self, request, *args, **kwargs):
        if not getattr(request, "canonical_checked", False):
            redirect = self.canonical_redirect(request)
            if redirect is not None:
                return redirect
        return super().serve(request, *args, **kwargs)


class ArticleByline(Orderable):
    """One pen name in a story's byline, in order (writer first, then photographers…)."""

    page = ParentalKey(ArticlePage, related_name="bylines", on_delete=models.CASCADE)
    pen_name = models.ForeignKey(
        PenName, verbose_name="Bút danh", on_delete=models.PROTECT, related_name="bylines"
    )
    role = models.CharField(
        "Vai trò",
        max_length=20,
        choices=[("viet", "Viết bài"), ("anh", "Ảnh"), ("video", "Video"), ("dich", "Dịch")],
        default="viet",
    )

    # Not required to save a draft (autosave runs while the writer types): a byline is
    # required to submit or publish (forms.BylineForm).
    panels = [FieldPanel("pen_name", required_on_save=False), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = "bút danh"


class RelatedArticle(Orderable):
    page = ParentalKey(ArticlePage, related_name="related_links", on_delete=models.CASCADE)
    article = models.ForeignKey(
        ArticlePage, verbose_name="Bài liên quan", on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("article")]


PAGE_ID_MAX = 2**31 - 1  # Wagtail's page ids are an integer column: none is larger

_published_story = Compiled(
    ArticlePage,
    lambda pk: ArticlePage.objects.published().filter(pk=pk).select_related("cover_image")[:1],
)


def published_story(pk: int) -> ArticlePage | None:
    """The published story with this id, its cover joined in (a story page's own query: its
    SQL built once per worker, core.compiled)."""
    if not 0 < pk <= PAGE_ID_MAX:
        return None
    found = _published_story(pk)
    return found[0] if found else None


def _listed_with_covers(ids: list[int]) -> list[ArticlePage]:
    """Published stories by id, in that order, without their bodies, their covers joined
    in (their renditions not fetched: the cards and their <picture>s are kept in the worker,
    frontpage and templatetags/pictures.py, which ask Redis on a miss)."""
    listed = ArticlePage.objects.listed().filter(pk__in=ids).select_related("cover_image")
    found = {s.pk: s for s in listed}
    return [found[pk] for pk in ids if pk in found]


def _covers(filter_specs) -> Prefetch:
    photos = Photo.objects.all()
    if filter_specs:
        photos = photos.prefetch_renditions(*filter_specs)
    return Prefetch("cover_image", queryset=photos)


def with_cover(queryset, *filter_specs: str):
    """Fetch cover photos and their renditions with the stories, in two queries in all."""
    return queryset.prefetch_related(_covers(filter_specs))


def covered_page(page, filter_specs=LISTING_RENDITIONS):
    """A page of a listing with its stories' covers (`attach_covers`)."""
    page.object_list = list(page.object_list)
    attach_covers(page.object_list, *filter_specs)
    return page


def attach_covers(stories: list["ArticlePage"], *filter_specs: str) -> None:
    """`with_cover` for stories already fetched by several listings: two queries for all,
    renditions only of the photos this worker has not shown lately (the home's sixty cards
    are kept between publishes; their renditions would be hundreds of rows read for
    nothing)."""
    prefetch_related_objects(stories, _covers(()))
    if not filter_specs:
        return
    unseen = {s.cover_image_id: s.cover_image for s in stories if s.cover_image_id}
    unseen = [p for p in unseen.values() if p is not None and not recently_shown(p)]
    if unseen:
        renditions = Photo.get_rendition_model().objects.filter(filter_spec__in=filter_specs)
        prefetch_related_objects(
            unseen, Prefetch("renditions", queryset=renditions, to_attr="prefetched_renditions")
        )


class NewsroomPermission(models.Model):
    """Newsroom-wide permissions that belong to no single model."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_audit_log", "Xem nhật ký hoạt động của tòa soạn")]

    def __str__(self) -> str:
        return self._meta.verbose_name


class BreakingNewsTask(AbstractGroupApprovalTask):
    """Tin nóng: one approval by the managing editor or editor-in-chief publishes the story."""

    class Meta:
        verbose_name = "bước duyệt tin nóng"
        verbose_name_plural = "bước duyệt tin nóng"

    @classmethod
    def get_description(cls):
        return "Tin nóng: một lần duyệt của nhóm được chọn là xuất bản ngay."

    def on_action(self, task_state, user, action_name, **kwargs):
        super().on_action(task_state, user, action_name, **kwargs)
        if action_name == "approve":
            log(
                instance=task_state.workflow_state.content_object,
                action="toasoan.breaking_news",
                user=user,
                data={"task": self.name},
            )
