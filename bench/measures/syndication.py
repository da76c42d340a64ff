"""Feed and sitemap generation time, uncached: what a publish costs the first crawler.

The whole cache is emptied before every request (feeds and sitemaps are cached until the
next publish, freshness.py), so each number is a full generation through Django's test
client. No target in issue #7; the numbers show where a big archive hurts.
"""

import time

from . import Context, measurement, progress, summary


def _variants() -> list[tuple[str, str]]:
    from django.test import RequestFactory
    from django.urls import reverse

    from toasoan.newsroom.models import SectionPage
    from toasoan.syndication.sitemaps import StorySitemap

    variants = [("latest feed", reverse("syndication:feed-latest"))]
    section = (
        SectionPage.objects.live().filter(locale__language_code="vi", depth=3).order_by("path")
    ).first()
    if section is not None:
        feed = reverse("syndication:feed-section", args=[section.url.strip("/")])
        variants.append((f"section feed ({section.slug})", feed))
    variants.append(("sitemap index", reverse("syndication:sitemap-index")))
    stories = reverse("syndication:sitemap-section", args=["bai-viet"])
    variants.append(("story sitemap, page 1", stories))
    files = StorySitemap(RequestFactory().get("/")).paginator.num_pages  # this edition's
    if files > 1:
        variants.append((f"story sitemap, page {files} (last)", f"{stories}?p={files}"))
    variants.append(("news sitemap", reverse("syndication:sitemap-news")))
    return variants


@measurement("syndication")
def feed_and_sitemap_times(ctx: Context) -> dict:
    from django.conf import settings
    from django.core.cache import caches
    from django.test import Client

    from toasoan.syndication.sitemaps import URLS_PER_FILE

    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    variants = _variants()
    progress(f"syndication: {len(variants)} feeds and sitemaps")
    times: dict[str, list[float]] = {label: [] for label, _ in variants}
    sizes: dict[str, int] = {}
    for label, path in variants:  # warm-up (not the big sitemap files: seconds each)
        if "sitemap, page" not in label:
            assert client.get(path).status_code == 200, path
    for _ in range(max(2, ctx.rounds // 2)):
        for label, path in variants:
            for cache in caches.all():
                cache.clear()
            start = time.perf_counter()
            response = client.get(path)
            content = response.content
            times[label].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
            sizes[label] = len(content)
    return {
        "urls_per_sitemap_file": URLS_PER_FILE,
        "per_document": {
            label: {"path": path, **summary(times[label]), "kB": round(sizes[label] / 1024, 1)}
            for label, path in variants
        },
    }
