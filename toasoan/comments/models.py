"""Reader comments, pre-moderated: nothing is public until a moderator approves it.

A comment keeps its writer's email and IP for moderation and for personal-data requests
(Decree 13/2023/NĐ-CP); neither is ever shown on a public page.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator

from toasoan.core.text import without_controls
from toasoan.newsroom.models import ArticlePage


class Status(models.TextChoices):
    PENDING = "pending", "Chờ duyệt"
    APPROVED = "approved", "Đã duyệt"
    REJECTED = "rejected", "Từ chối"
    SPAM = "spam", "Spam"


class Comment(models.Model):
    article = models.ForeignKey(
        ArticlePage,
        verbose_name="Bài viết",
        on_delete=models.CASCADE,
        related_name="reader_comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="Trả lời bình luận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # erasing one reader's comments keeps others' replies
        related_name="replies",
    )
    name = models.CharField("Tên", max_length=80)
    email = models.EmailField("Email (không công khai)", max_length=254, db_index=True)
    text = models.TextField("Nội dung", max_length=2000)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    flag = models.CharField(
        "Lý do giữ lại",
        max_length=200,
        blank=True,
        help_text="Vì sao hệ thống giữ bình luận này để xem kỹ (từ cấm, trùng lặp, bị chặn…).",
    )
    is_staff_reply = models.BooleanField("Phản hồi của tòa soạn", default=False)
    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người viết (nhân sự)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField("Địa chỉ IP", null=True, blank=True)
    user_agent = models.CharField("Trình duyệt", max_length=300, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField("Gửi lúc", default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField("Duyệt lúc", null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người duyệt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "bình luận"
        verbose_name_plural = "bình luận"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "status"], name="comment_article_status")]

    def __str__(self) -> str:
        excerpt = self.text if len(self.text) <= 60 else self.text[:59] + "…"
        return f"{self.name}: {excerpt}"

    def save(self, *args, **kwargs):
        self.name = without_controls(self.name)
        self.text = without_controls(self.text).strip()
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def excerpt(self) -> str:
        return Truncator(self.text).chars(160)

    @property
    def status_label(self) -> str:
        label = self.get_status_display()
        if self.is_staff_reply:
            label += " · Tòa soạn"
        return f"{label} · ⚑ {self.flag}" if self.flag else label


class ArticleCommentState(models.Model):
    """Per-story comment switch; a story without a row is open for comments."""

    article = models.OneToOneField(
        ArticlePage, on_delete=models.CASCADE, related_name="comment_state", primary_key=True
    )
    closed = models.BooleanField("Đã đóng bình luận", default=False)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "trạng thái bình luận của bài"

    def __str__(self) -> str:
        return f"{self.article_id}: {'đóng' if self.closed else 'mở'}"


class BlockedSender(models.Model):
    """An email address or IP whose comments go straight to spam (they are not told)."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        IP = "ip", "Địa chỉ IP"

    kind = models.CharField("Loại", max_length=5, choices=Kind.choices)
    value = models.CharField("Giá trị", max_length=254)
    reason = models.CharField("Lý do", max_length=200, blank=True)
    created_at = models.DateTimeField("Chặn lúc", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người chặn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "người gửi bị chặn"
        verbose_name_plural = "người gửi bị chặn"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="blocked_sender_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"

    def save(self, *args, **kwargs):
        self.value = self.value.strip().lower()
        super().save(*args, **kwargs)


class BannedWord(models.Model):
    """A word or phrase that holds a comment for a careful look (matched without diacritics)."""

    word = models.CharField(
        "Từ hoặc cụm từ",
        max_length=100,
        unique=True,
        help_text="So khớp không phân biệt hoa thường và dấu: “đồ ngu” cũng bắt “do ngu”.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "từ cấm"
        verbose_name_plural = "từ cấm"
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
