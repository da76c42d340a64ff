"""The planning desk: story ideas (đề tài), their coverages (phân công), what happened to
them, the events calendar and its per-desk feeds, and when the plan is e-mailed."""

import secrets
from datetime import time

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from toasoan.core.text import nfc
from toasoan.newsroom.models import ArticleKind, ArticlePage, SectionPage

# The genres a story idea may have: the story kinds the royalty regulation grades.
GENRES = [
    (k.value, k.label)
    for k in (
        ArticleKind.TIN,
        ArticleKind.BAI,
        ArticleKind.PHONG_SU,
        ArticleKind.PHONG_VAN,
        ArticleKind.ANH,
        ArticleKind.VIDEO,
        ArticleKind.PODCAST,
        ArticleKind.INFOGRAPHIC,
    )
]


class Platform(models.TextChoices):
    WEB = "web", "Báo điện tử"
    PRINT = "in", "Báo in"
    ENGLISH = "en", "Ấn bản tiếng Anh"
    VIDEO = "video", "Video"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Idea(models.Model):
    """A story idea: filed by a reporter, approved (or returned, merged) by the section's desk,
    carried out through coverages, ending as a published story."""

    class State(models.TextChoices):
        PROPOSED = "de-xuat", "Đề xuất"
        RETURNED = "tra-lai", "Trả lại"
        APPROVED = "duyet", "Đã duyệt"
        MERGED = "gop", "Đã gộp"
        IN_PROGRESS = "dang-thuc-hien", "Đang thực hiện"
        FILED = "da-nop", "Đã nộp"
        PUBLISHED = "da-dang", "Đã đăng"
        CANCELLED = "huy", "Đã huỷ"

    title = models.CharField("Tên đề tài (tạm)", max_length=255)
    angle = models.TextField("Hướng khai thác", max_length=2000)
    genre = models.CharField("Thể loại", max_length=20, choices=GENRES, default="tin")
    platforms = models.JSONField("Nền tảng", default=list)
    length = models.CharField(
        "Dung lượng dự kiến", max_length=60, blank=True, help_text="Ví dụ “800 chữ”, “3 phút”."
    )
    section = models.ForeignKey(
        SectionPage, verbose_name="Chuyên mục", on_delete=models.PROTECT, related_name="ideas"
    )
    place = models.CharField("Địa điểm", max_length=255, blank=True)
    plan_date = models.DateField("Ngày lên kế hoạch", db_index=True)
    deadline = models.DateTimeField("Hạn nộp")
    sources = models.TextField("Nguồn tin", blank=True, max_length=2000)
    events = models.ManyToManyField(
        "Event", verbose_name="Sự kiện liên quan", blank=True, related_name="ideas"
    )
    state = models.CharField(
        "Trạng thái", max_length=20, choices=State.choices, default=State.PROPOSED, db_index=True
    )
    note = models.TextField("Ghi chú của người duyệt", blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="Gộp vào",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người đề xuất",
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    article = models.OneToOneField(
        ArticlePage,
        verbose_name="Bài viết",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="idea",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "đề tài"
        verbose_name_plural = "đề tài"
        ordering = ["plan_date", "deadline", "pk"]
        permissions = [
            ("review_idea", "Duyệt, trả lại, gộp đề tài và phân công ở ban mình"),
            ("see_all_ideas", "Xem và duyệt đề tài của mọi ban"),
            ("export_plan", "In, gửi và xuất kế hoạch đề tài, lịch sự kiện"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title, self.angle = nfc(self.title).strip(), nfc(self.angle).strip()
        self.place, self.sources = nfc(self.place).strip(), nfc(self.sources).strip()
        super().save(*args, **kwargs)

    @property
    def platform_labels(self) -> list[str]:
        labels = dict(Platform.choices)
        return [labels[p] for p in self.platforms if p in labels]

    @property
    def is_open(self) -> bool:
        return self.state not in (self.State.MERGED, self.State.CANCELLED, self.State.PUBLISHED)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.state != self.State.FILED and self.deadline < timezone.now()


class Coverage(models.Model):
    """One medium of an idea (text, photo, video, graphics), assigned to a person or a desk,
    with its own deadline; the assignee accepts or declines."""

    class Kind(models.TextChoices):
        TEXT = "chu", "Bài viết"
        PHOTO = "anh", "Ảnh"
        VIDEO = "video", "Video"
        GRAPHICS = "do-hoa", "Đồ họa"

    class Status(models.TextChoices):
        UNASSIGNED = "chua-giao", "Chưa phân công"
        WAITING = "cho-nhan", "Chờ nhận"
        ACCEPTED = "da-nhan", "Đã nhận"
        DECLINED = "tu-choi", "Từ chối"
        DONE = "xong", "Hoàn thành"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="coverages")
    kind = models.CharField("Loại", max_length=10, choices=Kind.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coverages",
    )
    desk = models.ForeignKey(
        Group,
        verbose_name="Ban thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline = models.DateTimeField("Hạn")
    status = models.CharField(
        "Tình trạng", max_length=12, choices=Status.choices, default=Status.UNASSIGNED
    )
    reason = models.TextField("Lý do từ chối", blank=True)

    class Meta:
        verbose_name = "phân công"
        verbose_name_plural = "phân công"
        ordering = ["idea", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.idea.title}"

    @property
    def who(self) -> str:
        if self.assignee:
            return self.assignee.get_full_name() or self.assignee.get_username()
        return self.desk.name if self.desk else ""

    @property
    def is_overdue(self) -> bool:
        return self.status not in (self.Status.DONE,) and self.deadline < timezone.now()


class PlanningLog(models.Model):
    """What happened to an idea or one of its coverages, by whom, with the note given."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="log")
    coverage = models.ForeignKey(
        Coverage, null=True, blank=True, on_delete=models.CASCADE, related_name="log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=200)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.action

    @property
    def who(self) -> str:
        if self.user is None:
            return "hệ thống"
        return self.user.get_full_name() or self.user.get_username()


class Event(models.Model):
    """A dated happening the desks plan around (press conference, council session, festival),
    possibly recurring; imported from and exported to iCalendar."""

    title = models.CharField("Tên sự kiện", max_length=255)
    description = models.TextField("Mô tả", blank=True)
    location = models.CharField("Địa điểm", max_length=255, blank=True)
    start = models.DateTimeField("Bắt đầu")
    end = models.DateTimeField("Kết thúc", null=True, blank=True)
    all_day = models.BooleanField("Cả ngày", default=False)
    rrule = models.CharField(
        "Lặp lại (RRULE)",
        max_length=255,
        blank=True,
        help_text="Theo iCalendar, ví dụ “FREQ=WEEKLY;BYDAY=MO” (thứ Hai hằng tuần).",
    )
    section = models.ForeignKey(
        SectionPage,
        verbose_name="Chuyên mục",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Để trống: sự kiện chung của tòa soạn, mọi ban đều thấy.",
    )
    uid = models.CharField("UID", max_length=255, unique=True, editable=False)

    class Meta:
        verbose_name = "sự kiện"
        verbose_name_plural = "lịch sự kiện"
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.start):%d/%m/%Y %H:%M})"

    def save(self, *args, **kwargs):
        self.title, self.description = nfc(self.title).strip(), nfc(self.description).strip()
        self.location = nfc(self.location).strip()
        self.rrule = normal_rrule(self.rrule)
        if not self.uid:
            self.uid = f"{secrets.token_hex(12)}@toasoan"
        super().save(*args, **kwargs)

    def clean(self):
        try:
            normal_rrule(self.rrule)
        except ValueError:
            raise ValidationError(
                {"rrule": "Quy tắc lặp không đúng chuẩn iCalendar, ví dụ “FREQ=WEEKLY;BYDAY=MO”."}
            ) from None
        if self.end and self.end < self.start:
            raise ValidationError({"end": "Sự kiện kết thúc trước khi bắt đầu."})


def normal_rrule(text: str) -> str:
    """An RRULE as iCalendar writes it (so a round trip gives the same text); ValueError if
    it is not one."""
    text = (text or "").strip().upper().removeprefix("RRULE:")
    if not text:
        return ""
    from icalendar import vRecur  # not in every web worker (docs/architecture.md)

    rule = vRecur.from_ical(text)
    if "FREQ" not in rule:
        raise ValueError("thiếu FREQ")
    return rule.to_ical().decode()


class DeskFeed(models.Model):
    """A desk's subscribable calendar: /lich/<token>.ics, secret like a password."""

    desk = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="planning_feed")
    token = models.CharField(max_length=64, unique=True, default=new_token)

    def __str__(self) -> str:
        return self.desk.name


class PlanMailing(models.Model):
    """When the next day's plan is e-mailed, to whom, and the last day it was sent for."""

    send_at = models.TimeField("Giờ gửi", default=time(16, 0))
    recipients = models.TextField(
        "Người nhận", blank=True, help_text="Địa chỉ e-mail, mỗi dòng một địa chỉ."
    )
    last_sent_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "gửi kế hoạch"

    def __str__(self) -> str:
        return f"Gửi kế hoạch lúc {self.send_at:%H:%M}"

    @property
    def addresses(self) -> list[str]:
        return [a.strip() for a in self.recipients.splitlines() if a.strip()]
