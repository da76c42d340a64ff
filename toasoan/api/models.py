"""Partners of the content API: one key each, with its own rate limit.

The API is public and read-only, so a key grants nothing secret: it names the partner
(the paper's app, an aggregator…) and lifts the per-address limit anonymous clients get.
Nothing in this model is ever returned by the API.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models

KEY_MIN_LENGTH = 24
CACHE_SECONDS = 60


def new_key() -> str:
    return secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def cache_key(key: str) -> str:
    return f"api:client:{key_digest(key)}"


class ApiClient(models.Model):
    name = models.CharField("Tên đối tác / ứng dụng", max_length=120, unique=True)
    key = models.CharField(
        "Khoá API",
        max_length=100,
        unique=True,
        default=new_key,
        help_text="Gửi kèm mỗi yêu cầu trong header X-Api-Key (hoặc ?api_key=). "
        "Đổi khoá: thay bằng chuỗi ngẫu nhiên mới (ít nhất 24 ký tự).",
    )
    requests_per_minute = models.PositiveIntegerField(
        "Số yêu cầu mỗi phút", default=600, help_text="0: không giới hạn."
    )
    is_active = models.BooleanField("Đang hoạt động", default=True)
    contact_email = models.EmailField("Email liên hệ (nội bộ)", blank=True)
    notes = models.TextField("Ghi chú nội bộ", blank=True)
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "khoá API"
        verbose_name_plural = "khoá API"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if self.pk:  # a changed key must stop working at once
            old = ApiClient.objects.filter(pk=self.pk).values_list("key", flat=True).first()
            if old:
                cache.delete(cache_key(old))
        super().save(*args, **kwargs)
        cache.delete(cache_key(self.key))

    def delete(self, *args, **kwargs):
        cache.delete(cache_key(self.key))
        return super().delete(*args, **kwargs)

    def clean(self):
        self.key = (self.key or "").strip()
        if len(self.key) < KEY_MIN_LENGTH:
            raise ValidationError({"key": f"Khoá API phải dài ít nhất {KEY_MIN_LENGTH} ký tự."})
        if any(ch.isspace() for ch in self.key):
            raise ValidationError({"key": "Khoá API không được chứa khoảng trắng."})
