"""Live coverage: live blogs (tường thuật trực tiếp) and online Q&A (giao lưu trực tuyến).

One page type serves both: a Q&A session is a live blog whose entries are answered reader
questions. Entries are plain rows beside the page (no page revision per entry); every change
a reader must see (approval, edit, deletion, pin, key event) takes the blog's next `version`,
so the update feed (updates.py) is "the entries changed most recently, by version".
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page

from toasoan.core.privacy import RestrictionsWhenAny
from toasoan.core.text import vi_slug
from toasoan.newsroom.models import Photo


class Mode(models.TextChoices):
    BLOG = "blog", "Tường thuật trực tiếp"
    QA = "qa", "Giao lưu trực tuyến"


class LiveBlogPage(RestrictionsWhenAny, Page):
    """A live blog or an online Q&A session, in a section."""

    changes_frame = False  # shown as a story is (core.signals)

    @classmethod
    def may_be_created_by(cls, user) -> bool:
        """Opened by the desks that run one (section editors up); a reporter adding to a
        section is taken straight to a story (newsroom.admin_views.add_subpage)."""
        return user.has_perm("live.approve_liveentry")

    mode = models.CharField("Loại", max_length=10, choices=Mode.choices, default=Mode.BLOG)
    summary = models.TextField("Tóm tắt", max_length=1000, blank=True)
    coverage_start = models.DateTimeField(
        "Bắt đầu", null=True, blank=True, help_text="Để trống: bắt đầu khi bấm “Bắt đầu”."
    )
    coverage_end = models.DateTimeField(
        "Kết thúc", null=True, blank=True, help_text="Đặt khi bấm “Kết thúc tường thuật”."
    )
    # Parental: saved with the page's revisions by the Wagtail editor (a plain
    # ManyToManyField on a page is lost between the form and the published page).
    guests = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="Khách mời (tài khoản trả lời)",
        blank=True,
        related_name="live_sessions",
        help_text="Chỉ thấy các câu hỏi đã chuyển cho phiên này.",
    )
    guest_names = models.CharField(
        "Khách mời", max_length=300, blank=True, help_text="Hiện trên trang, ví dụ chức danh."
    )
    # Raised by every change readers must see (updates.py); never edited by hand.
    version = models.PositiveBigIntegerField(default=0, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("mode"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("coverage_start"), FieldPanel("coverage_end")], heading="Thời gian"
        ),
        MultiFieldPanel([FieldPanel("guest_names"), FieldPanel("guests")], heading="Giao lưu"),
    ]
    parent_page_types = ["newsroom.SectionPage"]
    subpage_types: list[str] = []
    template = "live/live_blog_page.html"

    class Meta:
        verbose_name = "trang trực tiếp"
        verbose_name_plural = "trang trực tiếp"
        permissions = [
            ("approve_liveentry", "Duyệt mục tường thuật"),
            ("publish_liveentry", "Đăng mục tường thuật không qua duyệt (làn tin cậy)"),
            ("moderate_question", "Kiểm duyệt câu hỏi giao lưu"),
        ]

    def full_clean(self, *args, **kwargs):
        self.slug = vi_slug(self.slug or self.title, max_length=80)
        super().full_clean(*args, **kwargs)

    def state(self, now=None) -> str:
        """'announced' (not started yet), 'live' or 'ended'."""
        now = now or timezone.now()
        if self.coverage_end and self.coverage_end <= now:
            return "ended"
        if self.coverage_start and self.coverage_start <= now:
            return "live"
        return "announced"

    @property
    def is_qa(self) -> bool:
        return self.mode == Mode.QA

    def get_context(self, request, *args, **kwargs):
        """The page's own context comes from reading.page_context (through the app config,
        which imports it: models import nothing of what they are read by)."""
        context = super().get_context(request, *args, **kwargs)
        context["live"] = apps.get_app_config("live").page_context(self, request)
        return context


class Kind(models.TextChoices):
    TEXT = "text", "Văn bản"
    QUOTE = "quote", "Trích dẫn"
    PHOTO = "photo", "Ảnh"
    ANSWER = "answer", "Hỏi – đáp"


class EntryStatus(models.TextChoices):
    PENDING = "pending", "Chờ duyệt"
    PUBLISHED = "published", "Đã đăng"
    DELETED = "deleted", "Đã xoá"


class LiveEntry(models.Model):
    blog = models.ForeignKey(LiveBlogPage, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField("Dạng", max_length=10, choices=Kind.choices, default=Kind.TEXT)
    title = models.CharField(
        "Tiêu đề (diễn biến chính)",
        max_length=200,
        blank=True,
        help_text="Có tiêu đề thì có thể đánh dấu là diễn biến chính.",
    )
    text = models.TextField("Nội dung", max_length=5000)
    attribution = models.CharField("Người nói (trích dẫn)", max_length=200, blank=True)
    photo = models.ForeignKey(
        Photo, verbose_name="Ảnh", null=True, blank=True, on_delete=models.SET_NULL
    )
    question = models.OneToOneField(
        "live.Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="entry"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người viết",
        null=True,
        on_delete=models.SET_NULL,
        related_name="live_entries",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    is_key_event = models.BooleanField("Diễn biến chính", default=False)
    is_pinned = models.BooleanField("Ghim", default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "mục tường thuật"
        verbose_name_plural = "mục tường thuật"
        indexes = [models.Index(fields=["blog", "version"], name="live_entry_blog_version")]
        constraints = [
            models.UniqueConstraint(
                fields=["blog"],
                condition=models.Q(is_pinned=True),
                name="live_one_pinned_entry_per_blog",
            )
        ]

    def __str__(self) -> str:
        return self.title or self.text[:60]

    @property
    def is_published(self) -> bool:
        return self.status == EntryStatus.PUBLISHED


class QuestionStatus(models.TextChoices):
    NEW = "new", "Mới"
    FORWARDED = "forwarded", "Đã chuyển khách mời"
    ANSWERED = "answered", "Đã trả lời"
    MERGED = "merged", "Đã gộp"
    REJECTED = "rejected", "Từ chối"


class Question(models.Model):
    """A reader's question to a Q&A session. `contact` is never shown outside the desk."""

    session = models.ForeignKey(LiveBlogPage, on_delete=models.CASCADE, related_name="questions")
    name = models.CharField("Tên bạn đọc", max_length=80)
    contact = models.CharField("Liên hệ (không công khai)", max_length=200, blank=True)
    text = models.TextField("Câu hỏi", max_length=2000)
    status = models.CharField(
        max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.NEW
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    answer = models.TextField("Trả lời", max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reader = models.CharField(max_length=64, blank=True)  # hashed address (core.clients)

    class Meta:
        verbose_name = "câu hỏi giao lưu"
        verbose_name_plural = "câu hỏi giao lưu"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
