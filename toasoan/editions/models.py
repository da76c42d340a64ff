"""The termbase (thuật ngữ) translators follow, and each edition's masthead."""

import re

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Locale
from wagtail.search import index


def _default_locale():
    """The first edition after the default one (English), for new terms."""
    other = [
        code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    locale = Locale.objects.filter(language_code__in=other[:1]).first()
    return locale.pk if locale else None


class TermKind(models.TextChoices):
    BODY = "co-quan", "Cơ quan, tổ chức"
    TITLE = "chuc-danh", "Chức danh"
    PLACE = "dia-danh", "Địa danh"
    OTHER = "khac", "Khác"


class Term(index.Indexed, models.Model):
    """An official name and its approved translation, e.g. "UBND tỉnh" → "Provincial People's
    Committee". Translators see it beside every segment that contains it; a translation that
    does not use it is flagged."""

    source = models.CharField(
        "Thuật ngữ (tiếng Việt)", max_length=200, help_text="Ví dụ: UBND tỉnh"
    )
    locale = models.ForeignKey(
        Locale,
        verbose_name="Ngôn ngữ dịch",
        on_delete=models.CASCADE,
        related_name="+",
        default=_default_locale,
    )
    target = models.CharField(
        "Bản dịch chuẩn", max_length=300, help_text="Ví dụ: Provincial People's Committee"
    )
    alternatives = models.TextField(
        "Cách dịch khác cũng được chấp nhận",
        blank=True,
        help_text="Mỗi dòng một cách, ví dụ “provincial People's Committee”, “PPC”.",
    )
    kind = models.CharField("Loại", max_length=20, choices=TermKind.choices, default=TermKind.BODY)
    note = models.CharField("Ghi chú cho biên dịch viên", max_length=300, blank=True)
    approved = models.BooleanField(
        "Đã duyệt",
        default=True,
        help_text="Chỉ thuật ngữ đã duyệt mới được kiểm tra khi lưu và gửi duyệt bản dịch.",
    )
    updated_at = models.DateTimeField("Cập nhật", auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("source"), FieldPanel("locale")]),
        FieldPanel("target"),
        FieldPanel("alternatives"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("approved")]),
        FieldPanel("note"),
    ]
    search_fields = [
        index.SearchField("source"),
        index.SearchField("target"),
        index.AutocompleteField("source"),
        index.FilterField("locale"),
    ]

    class Meta:
        verbose_name = "thuật ngữ"
        verbose_name_plural = "thuật ngữ"
        ordering = ["source"]
        constraints = [
            models.UniqueConstraint(fields=["source", "locale"], name="editions_term_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def save(self, *args, **kwargs):
        self.alternatives = self.alternatives.strip()  # one per line: no blank first or last
        super().save(*args, **kwargs)

    @property
    def accepted(self) -> list[str]:
        """Every wording that counts as using the term: the standard one first."""
        others = [line.strip() for line in re.split(r"[\r\n]+", self.alternatives)]
        return [self.target, *[o for o in others if o]]


class EditionMasthead(models.Model):
    """What the masthead, footer and feeds of one language's edition say about the paper.

    The default (Vietnamese) edition uses "Thông tin tờ báo" (core.PaperSettings)."""

    locale = models.OneToOneField(
        Locale, verbose_name="Ngôn ngữ", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField("Tên báo", max_length=120, help_text="Ví dụ: Quang Nam Online")
    tagline = models.CharField("Khẩu hiệu", max_length=200, blank=True)
    licence = models.TextField("Giấy phép và ban biên tập", blank=True)
    address = models.TextField("Địa chỉ và liên hệ", blank=True)

    panels = [
        FieldPanel("locale"),
        FieldPanel("name"),
        FieldPanel("tagline"),
        FieldPanel("licence"),
        FieldPanel("address"),
    ]

    class Meta:
        verbose_name = "thông tin ấn bản"
        verbose_name_plural = "thông tin ấn bản"

    def __str__(self) -> str:
        return f"{self.name} ({self.locale.get_display_name()})"
