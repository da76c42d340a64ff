"""Content API latency: GET /api/stories (the story list partners poll) on the whole archive.

Through Django's test client, so the time includes routing, the rate-limit counter, the
queries, serialisation and the ETag — everything but the network. Target: median ≤ 30 ms
for the unfiltered first page on 200,000 stories.
"""

import time

from . import Context, goal, measurement, percentile, profile

TARGET_MEDIAN_MS = 30


def _variants() -> list[tuple[str, str, dict]]:
    from toasoan.api.cursors import encode_cursor
    from toasoan.newsroom.models import ArticlePage, SectionPage, Topic

    section = SectionPage.objects.live().order_by("path").first()
    topic = Topic.objects.order_by("pk").first()
    middle = ArticlePage.objects.published().only("pk", "first_published_at")
    deep = middle[max(0, middle.count() // 2)] if middle.exists() else None
    variants = [
        ("stories, first page (20)", "/api/stories", {}),
        ("stories, 100 per page", "/api/stories", {"limit": "100"}),
    ]
    if deep is not None:
        variants.append(
            ("stories, cursor mid-archive", "/api/stories", {"cursor": encode_cursor(deep)})
        )
    if section is not None:
        variants.append(("stories, one section", "/api/stories", {"section": str(section.pk)}))
    if topic is not None:
        variants.append(("stories, one topic", "/api/stories", {"topic": topic.slug}))
    variants += [
        (
            "stories, date range",
            "/api/stories",
            {"date_from": "01/01/2020", "date_to": "31/12/2020"},
        ),
        ("sections", "/api/sections", {}),
    ]
    if deep is not None:
        variants.append(("story detail", f"/api/stories/{deep.pk}", {}))
    return variants


@measurement("api")
def api_latency(ctx: Context) -> dict:
    from django.conf import settings
    from django.test import Client

    settings.API_ANON_RATE = 0  # the bench is one client asking many times
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    variants = _variants()
    for _, path, params in variants:  # warm-up: connections, site map, renditions, OS cache
        assert client.get(path, params).status_code == 200, path

    per_variant: dict[str, list[float]] = {label: [] for label, _, _ in variants}
    repeats = 10
    for _ in range(ctx.rounds):
        for label, path, params in variants:
            for _ in range(repeats):
                start = time.perf_counter()
                response = client.get(path, params)
                per_variant[label].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (label, response.status_code)

    headline = per_variant["stories, first page (20)"]
    median = round(percentile(headline, 50), 1)
    return {
        "stories_list_median_ms": median,
        "stories_list_p95_ms": round(percentile(headline, 95), 1),
        "target_median_ms": TARGET_MEDIAN_MS,
        "met": median <= TARGET_MEDIAN_MS,
        "targets": [
            goal(
                "api story list median",
                median,
                TARGET_MEDIAN_MS,
                "ms",
                why=lambda: profile(lambda: client.get("/api/stories"), "GET /api/stories"),
            )
        ],
        "requests_per_variant": len(headline),
        "p50_ms": {label: round(percentile(t, 50), 1) for label, t in per_variant.items()},
        "p95_ms": {label: round(percentile(t, 95), 1) for label, t in per_variant.items()},
    }
