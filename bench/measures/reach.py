"""Readership counting and the readership dashboard (issue #19): each measure runs on its own.

    python -m bench.run --stories 2000 --targets postgresql --measures reach

- beacons: `toasoan-web` (WEB_CONCURRENCY workers, Redis configured) answering view beacons
  from wrk, each from its own random address (X-Forwarded-For from a loopback peer, as nginx
  sends it), so nearly every one is a counted view: beacons/s, the app's CPU time per beacon
  (utime+stime of the server and its workers over the run), then the rollup of what was
  counted. Targets: ≥ 2,000 beacons/s, ≤ 1 ms app CPU per beacon.
- dashboard: a year of rollups seeded in bulk (on PostgreSQL, server-side, a statement per
  day and table) at the scale of the 200,000-story archive whatever `--stories` is: 1 % of
  it (2,000 stories) read each day, drawn from the stories there are as readers spread
  them (each story's first week, then a long tail over the whole archive); then the
  dashboard (7 and 30 days, a whole year), a story's page and the external-information report
  for the year, rendered in-process, warm (what past days gave kept) and cold (the first
  view after the rollups of past days changed). Target: each ≤ 300 ms (median).

  Only the dashboard, against your own database and Redis, on your ports:

    DATABASE_URL=postgres://…/mine REDIS_URL=redis://…/7 BENCH_PORTS=8630-8639 \
        python -m bench.run --stories 20000 --targets postgresql --measures reach
"""

import os
import random
import time
from datetime import timedelta

from bench import harness

from . import Context, goal, measurement, profile, progress, summary

BEACONS_PER_S = 2000
CPU_MS_PER_BEACON = 1.0
PAGE_MS = 300
ARCHIVE = 200_000  # the rollups are seeded as this archive's readers would fill them
COUNTRIES = ["VN"] * 14 + ["US", "US", "AU", "JP", "KR", "GB", "DE", "FR", "SG", ""]
SOURCES = [("social", "facebook"), ("social", "zalo"), ("search", "google"), ("direct", "")]
DEVICES = ["mobile", "mobile", "desktop", "tablet"]


def _cpu_seconds(pid: int) -> float:
    total = 0.0
    for p in [pid, *harness.children(pid)]:
        try:
            with open(f"/proc/{p}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _beacon_script(story_id: int):
    script = harness.SERVE / "reach-beacon.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text(
        'wrk.method = "POST"\n'
        f'wrk.path = "/luot-doc/{story_id}/"\n'
        'wrk.body = "r=https%3A%2F%2Fwww.facebook.com%2F&q=%3Futm_campaign%3Dbench"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        'wrk.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) Chrome/131 Mobile"\n'
        "request = function()\n"
        '  wrk.headers["X-Forwarded-For"] = math.random(1, 223) .. "." .. math.random(0, 255)'
        ' .. "." .. math.random(0, 255) .. "." .. math.random(1, 254)\n'
        "  return wrk.format()\n"
        "end\n"
    )
    return script


@measurement("reach")
def reach(ctx: Context) -> dict:
    result = {"beacons": beacons(ctx)}
    result["dashboard"] = dashboard(ctx)
    result["targets"] = result["beacons"].pop("targets") + result["dashboard"].pop("targets")
    return result


def beacons(ctx: Context) -> dict:
    from toasoan.newsroom.models import ArticlePage
    from toasoan.readership import counting
    from toasoan.readership.models import ReadEvent

    seconds = int(ctx.options.get("wrk_seconds") or 10)
    workers = int(ctx.options.get("workers") or 2)
    story = ArticlePage.objects.published().first()
    counting.flush()
    before = ReadEvent.objects.count()
    harness.stop_stale()
    stack = harness.Stack({**os.environ})
    port = harness.free_port()
    try:
        server = stack.app("reach-beacons", port, workers)
        url = f"http://127.0.0.1:{port}/luot-doc/{story.pk}/"
        script = _beacon_script(story.pk)
        harness.wrk(url, 20, 2, script=script)  # warm: every worker has its salt and story
        cpu = _cpu_seconds(server.pid)
        progress(f"reach: wrk, beacons for {seconds} s ({workers} workers)")
        run = harness.wrk(url, 50, seconds, script=script)
        cpu = _cpu_seconds(server.pid) - cpu
    finally:
        stack.close()
    started = time.perf_counter()
    rolled = counting.flush()
    while True:  # the rest of what Redis holds
        more = counting.flush()
        rolled += more
        if not more:
            break
    rollup_s = time.perf_counter() - started
    counted = ReadEvent.objects.count() - before
    per_beacon = round(1000 * cpu / run["requests"], 3) if run["requests"] else None
    return {
        "workers": workers,
        "run": run,
        "counted_events": counted,
        "rollup_s": round(rollup_s, 2),
        "rollup_events_per_s": round(rolled / rollup_s) if rollup_s else None,
        "app_cpu_s": round(cpu, 2),
        "targets": [
            goal(
                "beacons answered per second",
                run["requests_per_s"],
                BEACONS_PER_S,
                "/s",
                at_least=True,
            ),
            goal("app CPU per beacon", per_beacon, CPU_MS_PER_BEACON, "ms"),
            goal("beacon errors", run["errors"], 0, ""),
        ],
    }


def _readers_of_day(day, stories, days, popular, per_day: int, rng: random.Random) -> tuple:
    """(ids, views) of the stories read on `day`, as a paper's readers spread them: every
    story of its first week (most views the day it comes out, fewer each day after), then
    a long tail over the whole archive published by then (a few evergreen stories often,
    most rarely, each with a handful of views), `per_day` stories in all."""
    from bisect import bisect_right

    chosen: dict[int, int] = {}
    out = bisect_right(days, day)  # stories (in order of publication) out by then
    per_day = min(per_day, out)
    for story in stories[bisect_right(days, day - timedelta(days=7)) : out]:
        age = (day - story[3]).days
        chosen[story[0]] = max(1, int(rng.paretovariate(1.1) * 120 * 0.55**age))
        if len(chosen) >= per_day // 3:
            break
    while len(chosen) < per_day:
        pk, published = popular[int(len(popular) * rng.random() ** 3)]
        if published <= day and pk not in chosen:
            chosen[pk] = max(1, int(rng.paretovariate(1.4) * 4))
    return list(chosen), list(chosen.values())


def seed_year(ctx: Context) -> dict:
    """A year of rollups in bulk (PostgreSQL: a server-side INSERT per day and table), then
    their monthly sums and the pen names' sums, as the rollup keeps them."""
    from django.db import connection
    from django.utils import timezone

    from toasoan.newsroom.models import ArticlePage, SectionPage
    from toasoan.readership.counting import pens_from_stories
    from toasoan.readership.models import (
        DayBreakdown,
        MonthBreakdown,
        PenDay,
        PenMonth,
        StoryBreakdown,
        StoryDay,
        StoryMonth,
    )

    per_day = max(200, max(ctx.stories, ARCHIVE) // 100)
    today = timezone.localdate()
    first = today - timedelta(days=364)
    if StoryDay.objects.filter(day=first).count() >= per_day and StoryMonth.objects.exists():
        if not PenMonth.objects.exists():  # seeded before the pen names had their sums
            pens_from_stories()
        return {"stories_per_day": per_day, "seeded_s": 0, "rows": StoryDay.objects.count()}
    started = time.perf_counter()
    for model in (
        StoryDay,
        StoryBreakdown,
        DayBreakdown,
        StoryMonth,
        MonthBreakdown,
        PenDay,
        PenMonth,
    ):
        model._base_manager.all()._raw_delete(model._base_manager.db)
    stories = sorted(
        (
            (pk, path, language, timezone.localtime(published).date())
            for pk, path, language, published in ArticlePage.objects.published().values_list(
                "pk", "path", "locale__language_code", "first_published_at"
            )
            if published
        ),
        key=lambda s: (s[3], s[0]),
    )
    facts = {s[0]: s for s in stories}
    sections = {s.path: s.pk for s in SectionPage.objects.only("path")}
    rng = random.Random(19)
    popular = [(s[0], s[3]) for s in stories]
    rng.shuffle(popular)  # a story's place here: how often the tail brings it readers
    days = [s[3] for s in stories]
    with connection.cursor() as cursor:
        for n in range(365):
            day = first + timedelta(days=n)
            ids, views = _readers_of_day(day, stories, days, popular, per_day, rng)
            chosen = [facts[pk] for pk in ids]
            section_ids = [sections.get(s[1][:-4]) for s in chosen]
            editions = [s[2] for s in chosen]
            cursor.execute(
                "INSERT INTO readership_storyday (day, article_id, section_id, edition, views,"
                " visitors, abroad_views, abroad_visitors, engaged_seconds, engaged_views, depth,"
                " read_through) SELECT %s, a, s, e, v, v * 8 / 10, v / 10, v / 12, v * 45,"
                " v * 7 / 10, v * 42, v * 3 / 10 FROM unnest(%s::int[], %s::int[], %s::text[],"
                " %s::int[]) AS t(a, s, e, v)",
                [day, ids, section_ids, editions, views],
            )
            rows = [
                (a, dim, value, max(1, v // k))
                for a, v in zip(ids, views, strict=True)
                for dim, values in (
                    ("country", COUNTRIES[:: 1 + a % 3][:4]),
                    ("source", [s for s, _ in SOURCES]),
                    ("host", [h for _, h in SOURCES]),
                    ("device", DEVICES[:3]),
                )
                for k, value in enumerate(dict.fromkeys(values), 1)
            ]
            cursor.execute(
                "INSERT INTO readership_storybreakdown (day, article_id, dimension, value, views,"
                " visitors) SELECT %s, a, d, x, v, v * 8 / 10 FROM unnest(%s::int[],"
                " %s::text[], %s::text[], %s::int[]) AS t(a, d, x, v)",
                [day, *map(list, zip(*rows, strict=True))],
            )
            cursor.execute(
                "INSERT INTO readership_daybreakdown (day, section_id, edition, dimension, value,"
                " views, visitors, engaged_seconds) SELECT %s, sd.section_id, sd.edition,"
                " b.dimension, b.value, SUM(b.views), SUM(b.visitors), 0"
                " FROM readership_storybreakdown b JOIN readership_storyday sd"
                " ON sd.article_id = b.article_id AND sd.day = b.day WHERE b.day = %s"
                " GROUP BY sd.section_id, sd.edition, b.dimension, b.value",
                [day, day],
            )
            cursor.execute(
                "INSERT INTO readership_daybreakdown (day, section_id, edition, dimension, value,"
                " views, visitors, engaged_seconds) SELECT %s, section_id, edition, 'all', '',"
                " SUM(views), SUM(visitors), SUM(engaged_seconds) FROM readership_storyday"
                " WHERE day = %s GROUP BY section_id, edition",
                [day, day],
            )
        cursor.execute(
            "INSERT INTO readership_storymonth (month, article_id, section_id, edition, views,"
            " visitors, abroad_views, abroad_visitors, engaged_seconds, engaged_views, depth,"
            " read_through) SELECT date_trunc('month', day)::date, article_id,"
            " MAX(section_id), MAX(edition), SUM(views), SUM(visitors), SUM(abroad_views),"
            " SUM(abroad_visitors), SUM(engaged_seconds), SUM(engaged_views), SUM(depth),"
            " SUM(read_through) FROM readership_storyday GROUP BY 1, article_id"
        )
        cursor.execute(
            "INSERT INTO readership_monthbreakdown (month, section_id, edition, dimension, value,"
            " views, visitors, engaged_seconds) SELECT date_trunc('month', day)::date,"
            " section_id, edition, dimension, value, SUM(views), SUM(visitors),"
            " SUM(engaged_seconds) FROM readership_daybreakdown"
            " GROUP BY 1, section_id, edition, dimension, value"
        )
        pens_from_stories()
        cursor.execute(
            "ANALYZE readership_storyday, readership_storybreakdown, readership_daybreakdown,"
            " readership_storymonth, readership_monthbreakdown, readership_penday,"
            " readership_penmonth"
        )
    return {
        "stories_per_day": per_day,
        "seeded_s": round(time.perf_counter() - started, 1),
        "rows": {
            "story_day": StoryDay.objects.count(),
            "stories_read": StoryDay.objects.values("article_id").distinct().count(),
            "story_month": StoryMonth.objects.count(),
            "month_breakdown": MonthBreakdown.objects.count(),
            "story_breakdown": StoryBreakdown.objects.count(),
            "day_breakdown": DayBreakdown.objects.count(),
            "pen_day": PenDay.objects.count(),
        },
    }


def dashboard(ctx: Context) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Sum
    from django.test import Client
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from toasoan.readership import counting
    from toasoan.readership.models import StoryDay

    settings.ALLOWED_HOSTS = ["*"]
    progress("reach: seeding a year of rollups")
    seeded = seed_year(ctx)
    user, _ = get_user_model().objects.get_or_create(
        username="bench-reach", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    today = timezone.localdate()
    top = StoryDay.objects.values("article_id").annotate(v=Sum("views")).order_by("-v").first()
    year = f"tu={today - timedelta(days=364):%d/%m/%Y}&den={today:%d/%m/%Y}"
    pages = {
        "dashboard, 7 days": "/admin/ban-doc/",
        "dashboard, 30 days": "/admin/ban-doc/?ky=30-ngay",
        "dashboard, a year": f"/admin/ban-doc/?{year}",
        "live panel": "/admin/ban-doc/truc-tiep/",
        "a story, a year": f"/admin/ban-doc/bai/{top['article_id']}/?{year}",
        "report, the year": "/admin/ban-doc/bao-cao-doi-ngoai/?loai=khoang&"
        + year.replace("tu=", "gia-tri="),
    }
    timings, cold = {}, {}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        samples, first = [], []
        for _ in range(max(3, ctx.rounds)):
            started = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
        for _ in range(max(3, ctx.rounds)):
            counting.rollups_changed()  # a late flush: nothing computed before is reused
            started = time.perf_counter()
            client.get(path)
            first.append((time.perf_counter() - started) * 1000)
        timings[name], cold[name] = summary(samples), summary(first)
    xlsx = []
    for _ in range(3):
        started = time.perf_counter()
        client.get(pages["report, the year"] + "&dinh-dang=xlsx")
        xlsx.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    pdf = client.get(pages["report, the year"] + "&dinh-dang=pdf")
    pdf_ms = (time.perf_counter() - started) * 1000
    return {
        "seeded": seeded,
        "pages_ms": timings,
        "pages_cold_ms": cold,
        "report_xlsx_ms": summary(xlsx),
        "report_pdf_ms": round(pdf_ms),
        "report_pdf_bytes": len(pdf.content),
        "targets": [
            goal(
                f"{name} (median)",
                t["median"],
                PAGE_MS,
                "ms",
                why=lambda path=pages[name]: profile(lambda: client.get(path), path),
            )
            for name, t in timings.items()
        ]
        + [
            goal(
                f"{name}, cold: first view after the rollups changed (median)",
                t["median"],
                PAGE_MS,
                "ms",
            )
            for name, t in cold.items()
        ],
    }
