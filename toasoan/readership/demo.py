"""Demo readership for `make run`: a few weeks of history for every published demo story
(both editions, several countries and referrers), written straight into the rollups with
the same shape real counting gives (idempotent), plus a handful of views in the last half
hour so "Đang đọc" shows something."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

from django.utils import timezone

from toasoan.newsroom.models import ArticlePage

from .counting import current_hour, months_from_days, rollups_changed
from .models import (
    TOTAL,
    DayBreakdown,
    HourlyViews,
    ReadEvent,
    StoryBreakdown,
    StoryDay,
)

HISTORY_DAYS = 45
COUNTRIES = {
    "vi": {"VN": 86, "US": 4, "AU": 2, "JP": 2, "KR": 2, "DE": 1, "FR": 1, "GB": 1, "": 1},
    "en": {"VN": 30, "US": 22, "AU": 10, "GB": 8, "JP": 7, "KR": 6, "DE": 5, "FR": 4, "SG": 8},
}
SOURCES = {
    ("social", "facebook"): 34,
    ("social", "zalo"): 20,
    ("search", "google"): 22,
    ("search", "coccoc"): 4,
    ("direct", ""): 12,
    ("site", "baomoi.com"): 5,
    ("internal", ""): 3,
}
DEVICES = {"mobile": 70, "desktop": 25, "tablet": 5}
CAMPAIGNS = {"": 94, "ban-tin-sang": 6}
HOURS = [1, 1, 1, 1, 1, 2, 4, 6, 7, 6, 5, 5, 6, 5, 4, 4, 4, 5, 6, 7, 7, 6, 4, 2]


def split(total: int, weights: dict) -> dict:
    """`total` shared by weight, whole numbers summing exactly to it (largest remainder)."""
    whole = sum(weights.values())
    shares = {k: total * w / whole for k, w in weights.items()}
    parts = {k: int(v) for k, v in shares.items()}
    left = total - sum(parts.values())
    for k in sorted(shares, key=lambda k: shares[k] - parts[k], reverse=True)[:left]:
        parts[k] += 1
    return {k: v for k, v in parts.items() if v}


def load_demo_views(stories: list[ArticlePage]) -> int:
    if StoryDay.objects.exists() or HourlyViews.objects.exists():
        return 0
    rng = random.Random(19)
    now = timezone.localtime()
    this_hour = current_hour()
    hourly, days, parts = [], [], []
    totals: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))
    for story in stories:
        edition = story.locale.language_code
        section_id = story.get_parent().pk
        published = timezone.localtime(story.first_published_at or now)
        start = max(published.date(), now.date() - timedelta(days=HISTORY_DAYS))
        peak = rng.randint(150, 1600) if edition == "vi" else rng.randint(60, 500)
        day = start
        while day <= now.date():
            age = (day - published.date()).days
            views = int(peak * 0.72**age) + rng.randint(2, 12)
            hours = HOURS[: now.hour + 1] if day == now.date() else HOURS
            by_hour = split(views, dict(enumerate(hours)))
            if day == now.date():  # only hours that have passed
                by_hour = {h: v for h, v in by_hour.items() if h < now.hour}
                views = sum(by_hour.values())
            if not views:
                day += timedelta(days=1)
                continue
            midnight = timezone.make_aware(datetime.combine(day, datetime.min.time()))
            for h, v in by_hour.items():
                hour = midnight + timedelta(hours=h)
                if hour < this_hour:
                    hourly.append(HourlyViews(article=story, hour=hour, views=v))
            visitors = max(1, round(views * 0.82))
            countries = split(views, COUNTRIES.get(edition, COUNTRIES["en"]))
            abroad = sum(v for c, v in countries.items() if c not in ("VN", ""))
            engaged = round(views * 0.7)
            seconds = engaged * rng.randint(40, 140)
            days.append(
                StoryDay(
                    day=day,
                    article=story,
                    section_id=section_id,
                    edition=edition,
                    views=views,
                    visitors=visitors,
                    abroad_views=abroad,
                    abroad_visitors=round(abroad * 0.82),
                    engaged_seconds=seconds,
                    engaged_views=engaged,
                    depth=engaged * rng.randint(45, 85),
                    read_through=round(engaged * rng.uniform(0.25, 0.6)),
                )
            )
            dims = {
                "country": countries,
                "source": {k[0]: 0 for k in SOURCES},
                "host": {},
                "device": split(views, DEVICES),
                "campaign": split(views, CAMPAIGNS),
            }
            for (kind, host), v in split(views, SOURCES).items():
                dims["source"][kind] += v
                dims["host"][host] = dims["host"].get(host, 0) + v
            for dimension, values in dims.items():
                for value, v in values.items():
                    if not v:
                        continue
                    parts.append(
                        StoryBreakdown(
                            day=day,
                            article=story,
                            dimension=dimension,
                            value=value,
                            views=v,
                            visitors=max(1, round(v * 0.82)),
                        )
                    )
                    key = (day, section_id, edition, dimension, value)
                    totals[key]["views"] += v
                    totals[key]["visitors"] += max(1, round(v * 0.8))
            key = (day, section_id, edition, TOTAL, "")
            totals[key]["views"] += views
            totals[key]["visitors"] += round(views * 0.8)
            totals[key]["engaged_seconds"] += seconds
            day += timedelta(days=1)
    HourlyViews.objects.bulk_create(hourly, batch_size=2000)
    StoryDay.objects.bulk_create(days, batch_size=2000)
    StoryBreakdown.objects.bulk_create(parts, batch_size=2000)
    DayBreakdown.objects.bulk_create(
        [
            DayBreakdown(day=d, section_id=s, edition=e, dimension=dim, value=value, **amounts)
            for (d, s, e, dim, value), amounts in totals.items()
        ],
        batch_size=2000,
    )
    months_from_days()
    rollups_changed()
    return len(hourly) + len(days) + len(parts) + len(totals) + live_now(stories, rng)


def live_now(stories: list[ArticlePage], rng: random.Random) -> int:
    """A few dozen views in the last half hour (rolled up like real ones)."""
    now = timezone.now()
    events = []
    for i in range(60):
        story = stories[rng.randrange(min(len(stories), 12))]
        at = now - timedelta(seconds=rng.randint(0, 29 * 60))
        edition = story.locale.language_code
        country = rng.choice(["VN"] * 6 + ["US", "JP", "AU", "KR"])
        kind, host = rng.choice(
            [("social", "facebook"), ("social", "zalo"), ("search", "google"), ("direct", "")]
        )
        events.append(
            ReadEvent(
                at=at,
                hour=current_hour(at),
                day=timezone.localtime(at).date(),
                article_id=story.pk,
                section_id=story.get_parent().pk,
                edition=edition,
                visitor=f"{rng.getrandbits(64):016x}",
                new_reader=True,
                new_visitor=i % 3 == 0,
                country=country,
                source=kind,
                host=host,
                device=rng.choice(["mobile", "mobile", "desktop"]),
            )
        )
    ReadEvent.objects.bulk_create(events)
    return len(events)
