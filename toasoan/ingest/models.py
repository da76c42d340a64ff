"""What came in from outside: archive imports, their old addresses, and the wire queue.

`ImportedItem` remembers every source object already brought in (post, attachment,
comment, wire entry…) by its origin and its id there, so running an import again adds
nothing twice. `LegacyURL` maps an old address (optionally on an old domain) to the new
page; `middleware.legacy_redirects` answers it with a 301.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from toasoan.newsroom.models import ArticlePage


class ImportedItem(models.Model):
    class Kind(models.TextChoices):
        POST = "post", "Bài viết"
        ATTACHMENT = "attachment", "Tệp đính kèm"
        IMAGE = "image", "Ảnh trong bài"
        COMMENT = "comment", "Bình luận"

    origin = models.CharField("Nguồn", max_length=200)
    kind = models.CharField("Loại", max_length=12, choices=Kind.choices)
    source_id = models.CharField("Mã ở nguồn", max_length=255)
    target_id = models.BigIntegerField("Mã ở Toà Soạn", null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "mục đã nhập"
        verbose_name_plural = "mục đã nhập"
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "kind", "source_id"], name="ingest_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.origin} {self.kind} {self.source_id} → {self.target_id}"


class LegacyURL(models.Model):
    """An old address of an imported story, section, topic or author page."""

    host = models.CharField(
        "Tên miền cũ",
        max_length=255,
        blank=True,
        help_text="Để trống: địa chỉ cũ được chuyển hướng trên mọi tên miền của báo.",
    )
    path = models.CharField("Đường dẫn cũ", max_length=1000)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_path = models.CharField("Đường dẫn mới", max_length=500, blank=True)
    origin = models.CharField("Nguồn", max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "địa chỉ cũ"
        verbose_name_plural = "địa chỉ cũ"
        constraints = [models.UniqueConstraint(fields=["host", "path"], name="ingest_legacy_url")]

    def __str__(self) -> str:
        return f"{self.host}{self.path}"


class ImportRun(models.Model):
    """One import started from the admin (or recorded by the command), with its summary."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        CHECKING = "checking", "Đang kiểm tra tệp"
        RUNNING = "running", "Đang nhập"
        DONE = "done", "Xong"
        FAILED = "failed", "Bị từ chối"

    class Format(models.TextChoices):
        WXR = "wxr", "WordPress (WXR)"
        NINJS = "ninjs", "IPTC ninjs (thư mục JSON)"

    format = models.CharField("Định dạng", max_length=8, choices=Format.choices)
    file_name = models.CharField("Tệp", max_length=255)
    stored_path = models.CharField(max_length=1000, editable=False)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField("Tổng số mục", default=0)
    done = models.PositiveIntegerField("Đã xử lý", default=0)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField("Lỗi", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("Bắt đầu", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField("Kết thúc", null=True, blank=True)

    class Meta:
        verbose_name = "lần nhập kho bài"
        verbose_name_plural = "lần nhập kho bài"
        ordering = ["-created_at"]
        permissions = [("import_archive", "Nhập kho bài (WordPress, ninjs, sáp nhập báo)")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class WireSource(models.Model):
    """A news agency or partner feed polled for the "Tin nguồn" queue."""

    class Kind(models.TextChoices):
        FEED = "feed", "RSS / Atom"
        NINJS = "ninjs", "Thư mục tệp ninjs (JSON)"

    name = models.CharField("Tên nguồn", max_length=120, unique=True)
    kind = models.CharField("Loại", max_length=8, choices=Kind.choices, default=Kind.FEED)
    url = models.CharField(
        "Địa chỉ",
        max_length=1000,
        help_text=(
            "RSS/Atom: địa chỉ http(s):// hoặc file://. ninjs: đường dẫn thư mục trên máy chủ."
        ),
    )
    credit = models.CharField(
        "Ghi nguồn",
        max_length=60,
        help_text="Tên ghi trên bài khi dùng tin, ví dụ “TTXVN”: sapo bắt đầu bằng (TTXVN).",
    )
    active = models.BooleanField("Đang lấy tin", default=True)
    interval_minutes = models.PositiveIntegerField("Chu kỳ (phút)", default=10)
    timeout_seconds = models.PositiveIntegerField("Chờ tối đa (giây)", default=20)
    next_check_at = models.DateTimeField("Lần lấy tới", default=timezone.now)
    last_checked_at = models.DateTimeField("Lần lấy gần nhất", null=True, blank=True)
    last_ok_at = models.DateTimeField("Lần lấy được gần nhất", null=True, blank=True)
    failures = models.PositiveIntegerField("Số lần lỗi liên tiếp", default=0)
    last_error = models.TextField("Lỗi gần nhất", blank=True)
    etag = models.CharField(max_length=255, blank=True, editable=False)
    modified = models.CharField(max_length=255, blank=True, editable=False)

    class Meta:
        verbose_name = "nguồn tin"
        verbose_name_plural = "nguồn tin"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def health(self) -> str:
        if not self.active:
            return "Tạm dừng"
        if self.failures:
            return f"Lỗi {self.failures} lần liên tiếp: {self.last_error[:120]}"
        return "Bình thường" if self.last_ok_at else "Chưa lấy lần nào"


class WireItem(models.Model):
    """One agency story waiting in the "Tin nguồn" queue until an editor uses or drops it."""

    class Status(models.TextChoices):
        NEW = "new", "Mới"
        USED = "used", "Đã dùng"
        DISCARDED = "discarded", "Bỏ qua"

    source = models.ForeignKey(
        WireSource, verbose_name="Nguồn", on_delete=models.CASCADE, related_name="items"
    )
    guid = models.CharField(max_length=500)
    url = models.CharField("Địa chỉ gốc", max_length=1000, blank=True, db_index=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    title = models.CharField("Tiêu đề", max_length=500)
    summary = models.TextField("Tóm tắt", blank=True)
    body_html = models.TextField("Nội dung", blank=True)
    byline = models.CharField("Tác giả", max_length=200, blank=True)
    image_urls = models.JSONField("Ảnh (địa chỉ gốc)", default=list, blank=True)
    published_at = models.DateTimeField("Giờ phát", null=True, blank=True)
    received_at = models.DateTimeField("Nhận lúc", default=timezone.now, db_index=True)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=Status.choices, default=Status.NEW
    )
    story = models.ForeignKey(
        ArticlePage,
        verbose_name="Bài đã tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người xử lý",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField("Xử lý lúc", null=True, blank=True)

    class Meta:
        verbose_name = "tin nguồn"
        verbose_name_plural = "tin nguồn"
        ordering = ["-received_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["source", "guid"], name="ingest_wire_guid")]

    def __str__(self) -> str:
        return self.title
