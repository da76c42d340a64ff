"""Nhuận bút: the regulation as data, grades of published stories, the monthly ledger.

A grade copies what it used (genre name, points, multipliers' factor, contributor, person)
so that changing the regulation, a pen name or a department never changes a grade; locking a
month freezes its computed lines into `LedgerLine` rows, which nothing rewrites afterwards.
"""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from toasoan.core.text import nfc
from toasoan.newsroom.models import ArticleKind, ArticlePage, PenName

from .money import points_text, vnd
from .uses import MEDIA, WEB

POINTS = {"max_digits": 6, "decimal_places": 1, "validators": [MinValueValidator(Decimal("0"))]}
# Personal income tax (thuế TNCN) withheld from people paid without a labour contract of three
# months or more: 10 % of any payment of 2.000.000 đ or more (Circular 111/2013/TT-BTC, art. 25).
WITHHOLDING_RATE = Decimal("10")
WITHHOLDING_THRESHOLD = 2_000_000
RATE = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}


# --- the regulation ---------------------------------------------------------------------------
class Regulation(ClusterableModel):
    """A royalty regulation (quy chế nhuận bút) in force from a date until the next one."""

    name = models.CharField("Tên quy chế", max_length=200)
    valid_from = models.DateField("Áp dụng từ ngày")
    point_value = models.PositiveBigIntegerField(
        "Giá trị một điểm (đồng)",
        help_text="Giá trị mặc định cho các kỳ mới; mỗi kỳ có thể đặt giá trị riêng.",
    )
    is_example = models.BooleanField(
        "Quy chế mẫu",
        default=False,
        help_text="Đánh dấu quy chế chỉ dùng để minh hoạ, không phải quy chế thật của tòa soạn.",
    )
    note = models.TextField("Ghi chú, căn cứ", blank=True)
    withholding_rate = models.DecimalField(
        "Thuế TNCN khấu trừ (%)",
        default=WITHHOLDING_RATE,
        help_text="Khấu trừ trên tổng số tiền trả cho cộng tác viên (người không có hợp đồng lao "
        "động từ 3 tháng trở lên): 10 % theo Thông tư 111/2013/TT-BTC, điều 25. Nhân sự có hợp "
        "đồng lao động quyết toán thuế cùng tiền lương.",
        **RATE,
    )
    withholding_threshold = models.PositiveBigIntegerField(
        "Khấu trừ khi mỗi lần trả từ (đồng)",
        default=WITHHOLDING_THRESHOLD,
        help_text="Mỗi kỳ là một lần trả: khấu trừ khi tổng số tiền trả cho một người trong kỳ "
        "từ mức này trở lên (2.000.000 đ theo Thông tư 111/2013/TT-BTC).",
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("point_value")]),
        FieldRowPanel([FieldPanel("withholding_rate"), FieldPanel("withholding_threshold")]),
        FieldPanel("is_example"),
        FieldPanel("note"),
        InlinePanel("genres", label="Thể loại và khung điểm", min_num=1),
        InlinePanel("multipliers", label="Hệ số nhân"),
    ]

    class Meta:
        verbose_name = "quy chế nhuận bút"
        verbose_name_plural = "quy chế nhuận bút"
        ordering = ["-valid_from", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} (từ {self.valid_from:%d/%m/%Y})"

    @property
    def point_value_text(self) -> str:
        return vnd(self.point_value)

    @property
    def example_label(self) -> str:
        return "Quy chế mẫu (ví dụ)" if self.is_example else ""

    @classmethod
    def in_force(cls, on: date) -> "Regulation | None":
        """The regulation in force on a day: the latest one already valid, else the first."""
        return cls.objects.filter(valid_from__lte=on).first() or cls.objects.last()


class Genre(Orderable):
    """A genre (thể loại) and its range of points (khung điểm)."""

    regulation = ParentalKey(Regulation, on_delete=models.CASCADE, related_name="genres")
    name = models.CharField("Thể loại", max_length=120)
    article_kind = models.CharField(
        "Gợi ý cho loại bài",
        max_length=20,
        choices=ArticleKind.choices,
        blank=True,
        help_text="Bài thuộc loại này được gợi ý thể loại này khi chấm.",
    )
    medium = models.CharField(
        "Loại hình",
        max_length=8,
        choices=MEDIA,
        blank=True,
        help_text="Để trống nếu khung điểm dùng cho cả báo điện tử và báo in.",
    )
    min_points = models.DecimalField("Điểm thấp nhất", **POINTS)
    max_points = models.DecimalField("Điểm cao nhất", **POINTS)

    panels = [
        FieldRowPanel(
            [
                FieldPanel("name"),
                FieldPanel("article_kind"),
                FieldPanel("medium"),
                FieldPanel("min_points"),
                FieldPanel("max_points"),
            ]
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = "thể loại"
        verbose_name_plural = "thể loại"

    def __str__(self) -> str:
        medium = f", {self.get_medium_display().lower()}" if self.medium else ""
        return (
            f"{self.name} ({points_text(self.min_points)}–{points_text(self.max_points)} điểm"
            f"{medium})"
        )

    def clean(self):
        self.name = nfc(self.name).strip()
        if (
            self.min_points is not None
            and self.max_points is not None
            and self.min_points > self.max_points
        ):
            raise ValidationError(
                {"max_points": "Điểm cao nhất phải không nhỏ hơn điểm thấp nhất."}
            )


class Multiplier(Orderable):
    """A multiplier (hệ số) for exclusive stories, hard-to-reach areas, breaking news…"""

    regulation = ParentalKey(Regulation, on_delete=models.CASCADE, related_name="multipliers")
    name = models.CharField("Trường hợp", max_length=160)
    factor = models.DecimalField(
        "Hệ số",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("9.99"))],
        help_text="Ví dụ 1,2 = cộng 20 %. Nhiều hệ số cùng áp dụng thì nhân với nhau.",
    )

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("factor")])]

    class Meta(Orderable.Meta):
        verbose_name = "hệ số"
        verbose_name_plural = "hệ số"

    def __str__(self) -> str:
        return f"{self.name} (×{points_text(self.factor)})"


# --- departments ------------------------------------------------------------------------------
class Department(ClusterableModel):
    """A department (phòng ban): whose lines a department head sees, how the ledger groups."""

    name = models.CharField("Tên phòng ban", max_length=120, unique=True)

    panels = [
        FieldPanel("name"),
        InlinePanel("members", label="Thành viên (nhân sự hoặc bút danh cộng tác viên)"),
    ]

    class Meta:
        verbose_name = "phòng ban"
        verbose_name_plural = "phòng ban"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def member_count(self) -> int:
        return self.members.count()


class DepartmentMember(Orderable):
    """One staff member, or one outside contributor's pen name, in a department."""

    department = ParentalKey(Department, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="Nhân sự",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="royalty_department",
    )
    pen_name = models.OneToOneField(
        PenName,
        verbose_name="Bút danh (cộng tác viên không có tài khoản)",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="royalty_department",
    )
    is_head = models.BooleanField("Trưởng phòng", default=False)

    panels = [FieldRowPanel([FieldPanel("user"), FieldPanel("pen_name"), FieldPanel("is_head")])]

    class Meta(Orderable.Meta):
        verbose_name = "thành viên"
        verbose_name_plural = "thành viên"

    def __str__(self) -> str:
        who = self.user.get_full_name() or self.user.get_username() if self.user else ""
        who = who or str(self.pen_name or "")
        return f"{who} (trưởng phòng)" if self.is_head else who

    def clean(self):
        if bool(self.user_id) == bool(self.pen_name_id):
            raise ValidationError("Chọn một nhân sự hoặc một bút danh (chỉ một trong hai).")
        if self.pen_name_id and self.is_head:
            raise ValidationError({"is_head": "Trưởng phòng phải là nhân sự có tài khoản."})


# --- months -----------------------------------------------------------------------------------
class RoyaltyMonth(models.Model):
    """A payment period (kỳ nhuận bút): one calendar month."""

    class Status(models.TextChoices):
        OPEN = "open", "Đang mở"
        LOCKED = "locked", "Đã duyệt, khoá sổ"

    month = models.DateField("Tháng", unique=True, help_text="Ngày đầu tháng.")
    regulation = models.ForeignKey(
        Regulation,
        verbose_name="Quy chế áp dụng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="months",
    )
    regulation_name = models.CharField("Quy chế (khi khoá sổ)", max_length=240, blank=True)
    point_value = models.PositiveBigIntegerField("Giá trị một điểm (đồng)", default=0)
    fund_cap = models.PositiveBigIntegerField(
        "Quỹ nhuận bút tối đa (đồng)",
        null=True,
        blank=True,
        help_text="Để trống nếu không giới hạn. Vượt quỹ thì mọi dòng được co lại theo tỷ lệ.",
    )
    status = models.CharField(
        "Trạng thái", max_length=10, choices=Status.choices, default=Status.OPEN
    )
    locked_at = models.DateTimeField("Khoá sổ lúc", null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người duyệt",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    total_paid = models.BigIntegerField("Tổng chi (khi khoá sổ)", null=True, blank=True)
    # The regulation's tax rule, copied when the month is locked (empty: locked before tax
    # was withheld here, so nothing was).
    withholding_rate = models.DecimalField(
        "Thuế TNCN khấu trừ (%) (khi khoá sổ)", null=True, blank=True, **RATE
    )
    withholding_threshold = models.PositiveBigIntegerField(
        "Khấu trừ từ (đồng) (khi khoá sổ)", null=True, blank=True
    )

    class Meta:
        verbose_name = "kỳ nhuận bút"
        verbose_name_plural = "kỳ nhuận bút"
        ordering = ["-month"]
        permissions = [
            ("lock_month", "Thiết lập, duyệt và khoá sổ kỳ nhuận bút"),
            ("view_all_lines", "Xem toàn bộ sổ nhuận bút"),
            ("export_ledger", "Xuất bảng thanh toán nhuận bút"),
        ]

    def __str__(self) -> str:
        return f"Nhuận bút tháng {self.label}"

    @property
    def label(self) -> str:
        return f"{self.month:%m/%Y}"

    @property
    def key(self) -> str:
        """`2025-11`: the month in URLs."""
        return f"{self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED

    @property
    def point_value_text(self) -> str:
        return vnd(self.point_value)

    @property
    def fund_cap_text(self) -> str:
        return vnd(self.fund_cap) if self.fund_cap is not None else "Không giới hạn"


# --- grades -----------------------------------------------------------------------------------
class Grade(models.Model):
    """The grade of one use of a published story — its web publication, or one printing of it
    (`uses.py`) — : genre, points, multipliers, and who shares it."""

    article = models.ForeignKey(
        ArticlePage,
        verbose_name="Tác phẩm",
        null=True,
        on_delete=models.SET_NULL,
        related_name="royalty_grades",
    )
    medium = models.CharField("Loại hình", max_length=8, choices=MEDIA, default=WEB)
    # For a use other than the web publication: its key (uses.Use.key) and where it was used,
    # copied ("Báo in số 12 ngày 08/12/2026, trang 3 (bản in, phiên bản 2)").
    use_key = models.CharField(max_length=80, blank=True, default="")
    use_label = models.CharField("Sử dụng", max_length=255, blank=True)
    article_title = models.CharField("Tên tác phẩm", max_length=255)
    published_at = models.DateTimeField("Xuất bản lúc", null=True)
    month = models.ForeignKey(
        RoyaltyMonth, verbose_name="Kỳ", on_delete=models.PROTECT, related_name="grades"
    )
    genre = models.ForeignKey(
        Genre, verbose_name="Thể loại", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    genre_name = models.CharField("Thể loại", max_length=120)
    points = models.DecimalField("Điểm", **POINTS)
    multipliers = models.ManyToManyField(Multiplier, verbose_name="Hệ số", blank=True)
    multiplier_names = models.CharField("Hệ số áp dụng", max_length=500, blank=True)
    factor = models.DecimalField("Hệ số nhân", max_digits=10, decimal_places=4, default=1)
    note = models.CharField("Ghi chú", max_length=300, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người chấm",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded_at = models.DateTimeField("Chấm lúc", auto_now=True)

    class Meta:
        verbose_name = "chấm nhuận bút"
        verbose_name_plural = "chấm nhuận bút"
        ordering = ["published_at", "pk"]
        permissions = [("grade_work", "Chấm nhuận bút tác phẩm đã xuất bản")]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "medium", "use_key"], name="royalties_grade_once_per_use"
            ),
        ]

    def __str__(self) -> str:
        return f"Chấm nhuận bút: {self.work_title}"

    @property
    def work_title(self) -> str:
        """The title as the ledger shows it: a print use says where it was printed."""
        if self.medium == WEB or not self.use_label:
            return self.article_title
        where = f" — {self.use_label}"
        return self.article_title[: 255 - len(where)] + where

    @property
    def weighted_points(self) -> Decimal:
        return self.points * self.factor


class Share(models.Model):
    """One contributor's share of a grade, in percent (the shares of a grade total 100 %)."""

    ROLES = [
        ("viet", "Viết bài"),
        ("anh", "Ảnh"),
        ("video", "Video"),
        ("dich", "Dịch"),
        ("bien-tap", "Biên tập"),
        ("khac", "Khác"),
    ]

    grade = models.ForeignKey(Grade, on_delete=models.CASCADE, related_name="shares")
    pen_name = models.ForeignKey(
        PenName, verbose_name="Bút danh", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    pen_name_text = models.CharField("Bút danh", max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Nhân sự",
        null=True,
        on_delete=models.SET_NULL,
        related_name="royalty_shares",
    )
    person_name = models.CharField("Họ tên", max_length=200)
    role = models.CharField("Vai trò", max_length=20, choices=ROLES, default="viet")
    percent = models.DecimalField("Tỷ lệ (%)", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = "phần chia"
        verbose_name_plural = "phần chia"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.pen_name_text} {self.percent} %"


# --- adjustments and the frozen ledger --------------------------------------------------------
class Adjustment(models.Model):
    """A signed correction, paid in an open month, of what a locked earlier month paid."""

    month = models.ForeignKey(
        RoyaltyMonth,
        verbose_name="Chi trong kỳ",
        on_delete=models.PROTECT,
        related_name="adjustments",
    )
    corrects = models.ForeignKey(
        RoyaltyMonth,
        verbose_name="Điều chỉnh cho kỳ",
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )
    pen_name = models.ForeignKey(
        PenName, verbose_name="Bút danh", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    pen_name_text = models.CharField("Bút danh", max_length=120)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Nhân sự",
        null=True,
        on_delete=models.SET_NULL,
        related_name="royalty_adjustments",
    )
    person_name = models.CharField("Họ tên", max_length=200)
    amount = models.BigIntegerField("Số tiền (đồng, âm nếu thu lại)")
    reason = models.CharField("Lý do", max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người lập",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("Lập lúc", auto_now_add=True)

    class Meta:
        verbose_name = "dòng điều chỉnh"
        verbose_name_plural = "dòng điều chỉnh"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Điều chỉnh {vnd(self.amount)} cho {self.person_name} (kỳ {self.corrects.label})"


class LedgerLine(models.Model):
    """One frozen line of a locked month: a contributor's part of one work, or an adjustment."""

    month = models.ForeignKey(RoyaltyMonth, on_delete=models.CASCADE, related_name="lines")
    grade = models.ForeignKey(Grade, null=True, on_delete=models.SET_NULL, related_name="+")
    adjustment = models.ForeignKey(
        Adjustment, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    work_title = models.CharField(max_length=255, blank=True)
    genre_name = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=20, blank=True)
    person_key = models.CharField(max_length=220)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_name = models.CharField(max_length=200)
    pen_name_text = models.CharField(max_length=120)
    department = models.ForeignKey(
        Department, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    department_name = models.CharField(max_length=120, blank=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    points = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    gross = models.BigIntegerField(default=0)
    amount = models.BigIntegerField(default=0)
    note = models.CharField(max_length=500, blank=True)
    is_contributor = models.BooleanField(default=False)  # tax withheld at source (thuế TNCN)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.person_name}: {vnd(self.amount)}"
