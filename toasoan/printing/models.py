"""The print edition: issues (số báo), their pages and slots, print versions of stories, the
page PDFs that become the e-paper, and the record of which version was printed where."""

from datetime import time

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from toasoan.newsroom.models import ArticlePage


class PageState(models.TextChoices):
    """A page's way to the printer, in order."""

    PLANNED = "du-kien", "Dự kiến"
    LAID_OUT = "da-dan-trang", "Đã dàn trang"
    PROOF = "morat", "Morat"
    APPROVED = "tbt-duyet", "TBT duyệt"
    SENT = "da-gui-in", "Đã gửi in"


class EpaperState(models.TextChoices):
    NONE = "", "Chưa có"
    BUILDING = "dang-dung", "Đang dựng"
    READY = "san-sang", "Đã đăng"
    FAILED = "loi", "Lỗi"


@register_setting(icon="doc-full")
class PrintSettings(BaseGenericSetting):
    """The paper's print edition settings (admin → Cài đặt → Báo in)."""

    teaser_hour = models.TimeField(
        "Giờ lập “Đọc gì trên báo in ngày mai”",
        default=time(17, 0),
        help_text="Giờ Việt Nam, hôm trước ngày phát hành. Mỗi số báo có thể đặt giờ riêng.",
    )

    panels = [FieldPanel("teaser_hour")]

    class Meta:
        verbose_name = "báo in"


class PrintIssue(models.Model):
    """One morning's paper: date, number, pages."""

    date = models.DateField("Ngày phát hành", unique=True)
    number = models.PositiveIntegerField("Số", unique=True)
    page_count = models.PositiveSmallIntegerField("Số trang", default=8)
    page_width_mm = models.PositiveSmallIntegerField("Khổ rộng (mm)", default=330)
    page_height_mm = models.PositiveSmallIntegerField("Khổ cao (mm)", default=480)
    teaser_hour = models.TimeField(
        "Giờ đăng “Đọc gì trên báo in ngày mai”",
        null=True,
        blank=True,
        help_text="Hôm trước ngày phát hành, đến giờ này bài giới thiệu được lập (bản nháp, "
        "gửi duyệt). Để trống: giờ chung của tờ báo (Cài đặt → Báo in).",
    )
    teaser_made_at = models.DateTimeField(null=True, blank=True)  # made once, even if deleted
    teaser_story = models.ForeignKey(
        ArticlePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    epaper_state = models.CharField(
        "Báo in điện tử", max_length=12, choices=EpaperState.choices, default="", blank=True
    )
    epaper_done = models.PositiveSmallIntegerField("Số trang đã dựng", default=0)
    # Readers see the e-paper from its first complete build on, also while a corrected page
    # is rebuilt (epaper_state then says "đang dựng" to the staff only).
    epaper_public = models.BooleanField("Bạn đọc xem được báo điện tử", default=False)
    epaper_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = "số báo in"
        verbose_name_plural = "số báo in"
        permissions = [
            ("plan_issue", "Lập kế hoạch số báo, dàn trang"),
            ("approve_page", "Duyệt trang (TBT)"),
            ("upload_pages", "Tải PDF trang lên, gửi in"),
            ("cut_print_version", "Biên tập bản in của bài"),
        ]

    def __str__(self) -> str:
        return f"Số {self.number} ngày {self.date:%d/%m/%Y}"

    @property
    def is_published(self) -> bool:
        return self.epaper_public


class PrintPage(models.Model):
    issue = models.ForeignKey(PrintIssue, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveSmallIntegerField("Trang")
    section_name = models.CharField("Chuyên mục", max_length=80, blank=True)
    state = models.CharField(
        "Trạng thái", max_length=16, choices=PageState.choices, default=PageState.PLANNED
    )
    state_changed_at = models.DateTimeField(null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pdf = models.FileField("PDF trang", upload_to="bao-in/pdf/", blank=True)
    # The rendered page, as storage names: a thumbnail, the reading size and the zoom size.
    image_thumb = models.CharField(max_length=255, blank=True)
    image_page = models.CharField(max_length=255, blank=True)
    image_zoom = models.CharField(max_length=255, blank=True)
    rendered_pdf = models.CharField(max_length=255, blank=True)  # the PDF the images show
    text = models.TextField(blank=True)
    folded_text = models.TextField(blank=True)

    class Meta:
        ordering = ["issue", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="printing_page_once"),
        ]

    def __str__(self) -> str:
        return f"Trang {self.number}"

    @property
    def thumb_url(self) -> str:
        return default_storage.url(self.image_thumb) if self.image_thumb else ""

    @property
    def page_url(self) -> str:
        return default_storage.url(self.image_page) if self.image_page else ""

    @property
    def zoom_url(self) -> str:
        return default_storage.url(self.image_zoom) if self.image_zoom else ""


class SlotKind(models.TextChoices):
    STORY = "bai", "Bài"
    PHOTO = "anh", "Ảnh"
    AD = "quang-cao", "Quảng cáo"


class PageSlot(models.Model):
    """A story, photo or advertisement placed on a page, with its planned length."""

    page = models.ForeignKey(PrintPage, on_delete=models.CASCADE, related_name="slots")
    kind = models.CharField(max_length=12, choices=SlotKind.choices, default=SlotKind.STORY)
    story = models.ForeignKey(
        ArticlePage, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    label = models.CharField("Ghi chú", max_length=120, blank=True)
    planned_chars = models.PositiveIntegerField("Độ dài dự kiến (ký tự)", default=3000)
    highlight = models.BooleanField("Giới thiệu trên web", default=False)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["page", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.story.title if self.story_id else f"{self.get_kind_display()}: {self.label}"


class PrintVersion(models.Model):
    """The print copy of a web story: its own title, sapo and cut body. The web story is
    never written from here."""

    story = models.OneToOneField(
        ArticlePage, on_delete=models.CASCADE, related_name="print_version"
    )
    title = models.CharField("Tít bản in", max_length=255)
    sapo = models.TextField("Sapo bản in", blank=True)
    body = models.TextField(
        "Nội dung bản in", blank=True, help_text="Mỗi đoạn cách một dòng trống."
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.title

    @property
    def latest_revision(self) -> "PrintRevision | None":
        return self.revisions.order_by("-number").first()


class PrintRevision(models.Model):
    """One saved state of a print version."""

    version = models.ForeignKey(PrintVersion, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=255)
    sapo = models.TextField(blank=True)
    body = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="printing_revision_once"),
        ]

    def __str__(self) -> str:
        return f"Phiên bản {self.number}: {self.title}"


class PrintUse(models.Model):
    """Royalties: which version of a story went to the printer on which page."""

    issue = models.ForeignKey(PrintIssue, on_delete=models.CASCADE, related_name="uses")
    page_number = models.PositiveSmallIntegerField()
    story = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(PrintRevision, null=True, on_delete=models.SET_NULL)
    web_revision_id = models.PositiveIntegerField(null=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "page_number", "story"], name="printing_use_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue}, trang {self.page_number}"
