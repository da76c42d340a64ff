"""Story views per hour: the durable record behind "Đọc nhiều" and the staff view counts.

One row per story per hour with at least one counted view. With Redis the per-view
increments are summed there first and written here in batches; without Redis each counted
view updates its row directly.
"""

from django.db import models

from toasoan.newsroom.models import ArticlePage


class HourlyViews(models.Model):
    article = models.ForeignKey(
        ArticlePage, verbose_name="Bài viết", on_delete=models.CASCADE, related_name="+"
    )
    hour = models.DateTimeField("Giờ")
    views = models.PositiveIntegerField("Lượt đọc", default=0)

    class Meta:
        verbose_name = "lượt đọc theo giờ"
        verbose_name_plural = "lượt đọc theo giờ"
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="hourly_views_unique")
        ]
        indexes = [models.Index(fields=["hour", "article"], name="hourly_views_hour")]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.hour:%d/%m/%Y %H}h: {self.views}"
