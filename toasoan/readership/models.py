"""Readership records: raw reading events (kept 48 hours) and the rollups built from them.

A beacon becomes one `ReadEvent` (with Redis: pushed to a Redis list first, written here in
batches). `counting.flush()` claims the unclaimed events as one batch and adds them to the
rollups: `HourlyViews` (story × hour: "Đọc nhiều", the API, the hourly curve), `StoryDay`
(story × day: views, visitors, engaged time, read-through, readers abroad), `StoryBreakdown`
(story × day × dimension value) and `DayBreakdown` (section × edition × day × dimension
value: the dashboard and the external-information report). `StoryMonth` and `MonthBreakdown`
hold the same sums per calendar month, added to by the same rollup, so that a period of many
months reads a row per month instead of one per day (`spans` says which table serves which
part of a period). Every number shown anywhere is
a sum over these, so the rail, the dashboard, the report and the API agree.

Nothing here holds an address or a user agent: a visitor is a 16-hex-digit hash of
(the day's salt, address, browser), and the salt (`DailySalt`) is deleted after 48 hours,
after which no hash can be linked to anyone again.
"""

from datetime import date, timedelta

from django.db import models

from toasoan.newsroom.models import ArticlePage, PenName

# The dimensions a view is broken down by (StoryBreakdown, DayBreakdown).
DIMENSIONS = {
    "country": "Quốc gia",
    "source": "Nguồn truy cập",
    "host": "Trang dẫn đến",
    "campaign": "Chiến dịch (UTM)",
    "device": "Thiết bị",
}
TOTAL = "all"  # DayBreakdown's dimension holding the totals of a section × edition × day


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


class ReadEvent(models.Model):
    """One counted view (kind VIEW) or a later report of its engaged time (kind ENGAGE)."""

    VIEW, ENGAGE = 1, 2
    KINDS = [(VIEW, "xem"), (ENGAGE, "thời gian đọc")]
    at = models.DateTimeField(db_index=True)
    hour = models.DateTimeField()
    day = models.DateField()  # the paper's local date (TIME_ZONE)
    kind = models.PositiveSmallIntegerField(choices=KINDS, default=VIEW)
    article_id = models.IntegerField()
    section_id = models.IntegerField(null=True)
    edition = models.CharField(max_length=8, blank=True)
    visitor = models.CharField(max_length=16, blank=True)  # salted hash, never an address
    new_reader = models.BooleanField(default=False)  # this visitor's first view of it today
    new_visitor = models.BooleanField(default=False)  # this visitor's first view today
    country = models.CharField(max_length=2, blank=True)
    source = models.CharField(max_length=10, blank=True)
    host = models.CharField(max_length=100, blank=True)
    campaign = models.CharField(max_length=60, blank=True)
    device = models.CharField(max_length=8, blank=True)
    seconds = models.PositiveIntegerField(default=0)
    depth = models.PositiveSmallIntegerField(default=0)  # scroll depth gained, in %
    engaged = models.BooleanField(default=False)  # first engagement report of its view
    read_through = models.BooleanField(default=False)  # its view reached 75 % of the story
    batch = models.IntegerField(null=True, db_index=True)  # the rollup that counted it

    class Meta:
        verbose_name = "sự kiện đọc"
        verbose_name_plural = "sự kiện đọc (48 giờ gần nhất)"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.article_id} @ {self.at:%d/%m/%Y %H:%M}"


class RollupMark(models.Model):
    """The last rollup batch number (one row): flushes and rollups take turns on it. `claim`
    is the token of the last events moved from Redis, written in the same transaction as
    they were (counting.flush: so a retried flush never writes them twice)."""

    last_batch = models.IntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True, default="")

    def __str__(self) -> str:
        return f"batch {self.last_batch}"


class DailySalt(models.Model):
    """The salt of one day's visitor hashes; deleted after 48 hours."""

    day = models.DateField(primary_key=True)
    salt = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class Sums(models.Model):
    """What readers added up (STORY_SUMS): of a story (StorySums) or of the stories a pen
    name signs (PenSums), over a day or a calendar month."""

    views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    abroad_views = models.PositiveIntegerField(default=0)
    abroad_visitors = models.PositiveIntegerField(default=0)
    engaged_seconds = models.PositiveBigIntegerField(default=0)
    engaged_views = models.PositiveIntegerField(default=0)
    depth = models.PositiveBigIntegerField(default=0)  # sum of scroll depth (%) of engaged views
    read_through = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class StorySums(Sums):
    """A story (with the section and edition it was read in) and what its readers added up:
    a day's (StoryDay) or a calendar month's (StoryMonth)."""

    article = models.ForeignKey(
        ArticlePage, verbose_name="Bài viết", on_delete=models.CASCADE, related_name="+"
    )
    section_id = models.IntegerField(null=True)
    edition = models.CharField(max_length=8, blank=True)

    class Meta:
        abstract = True


class StoryDay(StorySums):
    day = models.DateField("Ngày")

    class Meta:
        verbose_name = "lượt đọc theo ngày"
        verbose_name_plural = "lượt đọc theo ngày"
        constraints = [models.UniqueConstraint(fields=["day", "article"], name="story_day_unique")]
        indexes = [
            models.Index(fields=["article", "day"], name="story_day_article"),
            models.Index(fields=["day", "section_id"], name="story_day_section"),
            # A day's most read stories, by views, by engaged time and (per edition) from
            # abroad, read in order (reach.sums.tops): a few rows, not the whole day.
            models.Index(fields=["day", "views"], name="story_day_views"),
            models.Index(fields=["day", "engaged_seconds"], name="story_day_time"),
            models.Index(fields=["day", "edition", "abroad_views"], name="story_day_abroad"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day:%d/%m/%Y}: {self.views}"


class StoryBreakdown(models.Model):
    day = models.DateField()
    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(max_length=8)
    value = models.CharField(max_length=100, blank=True)
    views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "dimension", "day", "value"], name="story_breakdown_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.day:%d/%m/%Y} {self.dimension}={self.value}: {self.views}"


class BreakdownSums(models.Model):
    """One value of a dimension (country, referrer, pen name…) in a section and edition, and
    what its readers added up: a day's (DayBreakdown) or a month's (MonthBreakdown)."""

    section_id = models.IntegerField(null=True)
    edition = models.CharField(max_length=8, blank=True)
    dimension = models.CharField(max_length=8)
    value = models.CharField(max_length=100, blank=True)
    views = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    engaged_seconds = models.PositiveBigIntegerField(default=0)

    class Meta:
        abstract = True


class DayBreakdown(BreakdownSums):
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "dimension", "section_id", "edition", "value"],
                name="day_breakdown_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.dimension}={self.value}: {self.views}"


# What StorySums adds up (article, section_id and edition only describe the story).
STORY_SUMS = (
    "views",
    "visitors",
    "abroad_views",
    "abroad_visitors",
    "engaged_seconds",
    "engaged_views",
    "depth",
    "read_through",
)


class StoryMonth(StorySums):
    """A story's StoryDay rows of one calendar month, summed (`month`: its first day)."""

    month = models.DateField("Tháng")

    class Meta:
        verbose_name = "lượt đọc theo tháng"
        verbose_name_plural = "lượt đọc theo tháng"
        constraints = [
            models.UniqueConstraint(fields=["month", "article"], name="story_month_unique")
        ]
        indexes = [
            models.Index(fields=["month", "section_id"], name="story_month_section"),
            models.Index(fields=["article", "month"], name="story_month_article"),
            models.Index(fields=["month", "views"], name="story_month_views"),
            models.Index(fields=["month", "engaged_seconds"], name="story_month_time"),
            models.Index(fields=["month", "edition", "abroad_views"], name="story_month_abroad"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} {self.month:%m/%Y}: {self.views}"


class MonthBreakdown(BreakdownSums):
    """DayBreakdown's rows of one calendar month, summed (`month`: its first day)."""

    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "dimension", "section_id", "edition", "value"],
                name="month_breakdown_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.dimension}={self.value}: {self.views}"


class PenSums(Sums):
    """What the readers of the stories a pen name signs added up: a day's (PenDay) or a
    month's (PenMonth), the StoryDay (StoryMonth) rows of those stories summed, a story
    signed twice by one pen name once. Whole paper only (a section editor's dashboard sums
    its own stories). Kept by the rollup with the story rows; rebuilt for the pen names of
    a byline that changes on a story already read (counting.pens_changed)."""

    pen_name = models.ForeignKey(PenName, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class PenDay(PenSums):
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "pen_name"], name="pen_day_unique")]

    def __str__(self) -> str:
        return f"{self.pen_name_id} {self.day:%d/%m/%Y}: {self.views}"


class PenMonth(PenSums):
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "pen_name"], name="pen_month_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pen_name_id} {self.month:%m/%Y}: {self.views}"


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def spans(start: date, end: date) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
    """The parts of a period (two days, inclusive) to read: day ranges from the daily tables
    and (first, last month) from the monthly ones, for the calendar months wholly inside it
    (None when there is none)."""
    first = start if start.day == 1 else next_month(start)
    after = next_month(end)
    last_end = end if after - timedelta(days=1) == end else end.replace(day=1) - timedelta(days=1)
    if first > last_end:
        return [(start, end)], None
    days = []
    if start < first:
        days.append((start, first - timedelta(days=1)))
    if last_end < end:
        days.append((last_end + timedelta(days=1), end))
    return days, (first, month_of(last_end))
