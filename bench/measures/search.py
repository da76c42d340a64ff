"""Search latency: p50/p95 of /search/ requests (view + template) and of the engine alone."""

import time
from datetime import date

from . import Context, goal, measurement, percentile, profile

TARGET_P95_MS = {"postgresql": 100, "sqlite": 300}
SUGGEST_P95_MS = 50
# What readers type into the box, letter by letter (suggestions answer from the first ones).
TYPED = ["ho", "hoi a", "qu", "quang n", "cu l", "da na", "đà", "th", "tam k", "chuyen d", "x", "9"]

QUERIES = [
    # (label, GET parameters) — what readers of a provincial paper type
    ("place, no diacritics", {"q": "da nang"}),
    ("place, accented", {"q": "Đà Nẵng"}),
    ("place, common", {"q": "quang nam"}),
    ("town", {"q": "tam ky"}),
    ("town, accented", {"q": "Hội An"}),
    ("two places", {"q": "hoi an cu lao cham"}),
    ("topic", {"q": "nong thon moi"}),
    ("topic, accented", {"q": "thông tin đối ngoại"}),
    ("phrase", {"q": '"thông tin đối ngoại"'}),
    ("phrase, no diacritics", {"q": '"du lich cong dong"'}),
    ("ambiguous fold", {"q": "đã nâng cấp"}),
    ("rare term", {"q": "sam ngoc linh"}),
    ("person", {"q": "Nguyễn Văn Minh"}),
    ("number", {"q": "129"}),
    ("newest first", {"q": "chuyen doi so", "sort": "newest"}),
    ("section filter", {"q": "du lich", "section": "__section__"}),
    ("date range", {"q": "bao", "date_from": "01/01/2020", "date_to": "31/12/2020"}),
    ("page 5", {"q": "quang nam", "page": "5"}),
    ("no match", {"q": "xyzzy qwerty"}),
    ("long query", {"q": "ủy ban nhân dân tỉnh quảng nam tổ chức hội nghị tổng kết công tác"}),
]


def _section():
    from toasoan.newsroom.models import SectionPage

    section = SectionPage.objects.live().filter(slug="van-hoa-du-lich").first()
    return section or SectionPage.objects.live().order_by("path").first()


@measurement("search")
def search_latency(ctx: Context) -> dict:
    from django.conf import settings
    from django.test import Client

    from toasoan.search import engine
    from toasoan.search.forms import DATE_FORMAT
    from toasoan.search.query import parse

    settings.SEARCH_RATE_LIMIT = (0, 60)  # the bench is one client asking many times
    settings.ALLOWED_HOSTS = ["*"]
    from wagtail.models import Site

    client = Client()
    section = _section()
    root_path = Site.objects.get(is_default_site=True).root_page.path
    queries = [
        (label, {k: (str(section.pk) if v == "__section__" else v) for k, v in params.items()})
        for label, params in QUERIES
    ]

    for _, params in queries:  # warm-up: connections, templates, renditions, OS cache
        assert client.get("/search/", params).status_code == 200

    request_times: list[float] = []
    engine_times: list[float] = []
    per_query: dict[str, list[float]] = {label: [] for label, _ in queries}
    hits: dict[str, int] = {}
    page_size = settings.TOASOAN["PAGE_SIZE"]
    for _ in range(ctx.rounds):
        for label, params in queries:
            start = time.perf_counter()
            response = client.get("/search/", params)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (label, response.status_code)
            request_times.append(elapsed)
            per_query[label].append(elapsed)

            query = parse(params["q"])
            filters = engine.Filters(
                section_path=section.path if "section" in params else root_path,
                date_from=_day(params.get("date_from"), DATE_FORMAT),
                date_to=_day(params.get("date_to"), DATE_FORMAT),
            )
            page = int(params.get("page", "1"))
            start = time.perf_counter()
            result = engine.search(
                query,
                filters,
                newest=params.get("sort") == "newest",
                offset=(page - 1) * page_size,
                limit=page_size,
            )
            engine_times.append((time.perf_counter() - start) * 1000)
            hits[label] = result.total

    suggest_times: list[float] = []
    for _ in range(ctx.rounds):
        for typed in TYPED:
            start = time.perf_counter()
            response = client.get("/search/suggest/", {"q": typed})
            suggest_times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (typed, response.status_code)

    slowest = max(queries, key=lambda q: percentile(per_query[q[0]], 50))
    p95 = round(percentile(request_times, 95), 1)
    return {
        "targets": [
            goal(
                f"search p95 ({ctx.target})",
                p95,
                TARGET_P95_MS[ctx.target],
                "ms",
                why=lambda: profile(
                    lambda: client.get("/search/", slowest[1]), f"GET /search/ {slowest[1]}"
                ),
            ),
            goal(
                f"suggestions p95 ({ctx.target})",
                round(percentile(suggest_times, 95), 1),
                SUGGEST_P95_MS,
                "ms",
                why=lambda: profile(
                    lambda: client.get("/search/suggest/", {"q": "ho"}), "GET /search/suggest/"
                ),
            ),
        ],
        "suggest_ms": _summary(suggest_times),
        "requests": len(request_times),
        "request_ms": _summary(request_times),
        "engine_ms": _summary(engine_times),
        "per_query_p50_ms": {label: round(percentile(t, 50), 1) for label, t in per_query.items()},
        "hits": hits,
    }


def _day(text: str | None, fmt: str) -> date | None:
    from datetime import datetime

    return datetime.strptime(text, fmt).date() if text else None


def _summary(samples: list[float]) -> dict:
    return {
        "p50": round(percentile(samples, 50), 1),
        "p95": round(percentile(samples, 95), 1),
        "max": round(max(samples), 1),
    }
