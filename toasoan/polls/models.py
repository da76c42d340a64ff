"""Reader polls (bình chọn) that an editor attaches to a story."""

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from toasoan.newsroom.models import ArticlePage


class Poll(ClusterableModel):
    article = models.ForeignKey(
        ArticlePage, verbose_name="Bài viết", on_delete=models.CASCADE, related_name="polls"
    )
    question = models.CharField("Câu hỏi", max_length=250)
    closes_at = models.DateTimeField(
        "Kết thúc lúc", null=True, blank=True, help_text="Để trống: bình chọn đến khi đóng tay."
    )
    is_open = models.BooleanField("Đang mở", default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [
        FieldPanel("article"),
        FieldPanel("question"),
        InlinePanel("choices", label="Phương án", min_num=2, max_num=10),
        FieldPanel("closes_at"),
        FieldPanel("is_open"),
    ]

    class Meta:
        verbose_name = "bình chọn"
        verbose_name_plural = "bình chọn"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.question

    def accepts_votes(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_open and (self.closes_at is None or now < self.closes_at)

    @property
    def total_votes(self) -> int:
        return self.votes.count()


class Choice(Orderable):
    poll = ParentalKey(Poll, related_name="choices", on_delete=models.CASCADE)
    text = models.CharField("Phương án", max_length=200)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = "phương án"

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    """One visitor's vote; the visitor is a keyed hash of a random cookie, never a name."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "phiếu bình chọn"
        verbose_name_plural = "phiếu bình chọn"
        constraints = [models.UniqueConstraint(fields=["poll", "voter"], name="one_vote_per_voter")]

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.choice_id}"
