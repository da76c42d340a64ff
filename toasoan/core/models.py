"""Site-wide settings of the paper, editable by administrators in the admin."""

from django.conf import settings
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


def site_name() -> str:
    """The name the paper starts with (SITE_NAME); administrators change it here after."""
    return settings.WAGTAIL_SITE_NAME


@register_setting(icon="site")
class PaperSettings(BaseSiteSetting):
    """What the masthead and footer say about the paper (one per site/edition)."""

    name = models.CharField("Tên báo", max_length=120, default=site_name)
    tagline = models.CharField(
        "Khẩu hiệu", max_length=200, blank=True, default="Cơ quan của Đảng bộ tỉnh Quảng Nam"
    )
    agency_prefix = models.CharField(
        "Tiền tố sapo mặc định",
        max_length=20,
        blank=True,
        default="(QNO)",
        help_text="Ví dụ “(QNO)”: đứng trước sapo, nối bằng “ - ”.",
    )
    licence = models.TextField(
        "Giấy phép và ban biên tập",
        blank=True,
        default="Giấy phép hoạt động báo điện tử số 000/GP-BTTTT (bản demo). "
        "Tổng biên tập: Nguyễn Văn Demo.",
    )
    address = models.TextField(
        "Địa chỉ và liên hệ",
        blank=True,
        default="Số 00 Trần Hưng Đạo, Tam Kỳ, Quảng Nam · Điện thoại: 0235 000 000",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("tagline"),
        FieldPanel("agency_prefix"),
        FieldPanel("licence"),
        FieldPanel("address"),
    ]

    class Meta:
        verbose_name = "Thông tin tờ báo"
