"""Fill the configured database with a realistic archive, in bulk.

    DATABASE_URL=… python -m bench.generate --stories 200000

Runs the migrations and the demo loader (sections, staff, pen names, photos), adds pen
names, topics and photo records, then appends stories spread over ten years across the
demo's sections with `bulk_add_stories`, and rebuilds the search index. Idempotent: a
database that already holds enough stories is left as it is.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20211222
YEARS = 10
PHOTOS = 600


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toasoan.settings")
    import django

    django.setup()


def log(message: str) -> None:
    print(f"[generate {time.strftime('%H:%M:%S')}] {message}", flush=True)


def photo_records(count: int):
    """Photo rows with captions and credits, sharing the demo's image files."""
    from toasoan.newsroom.models import Photo

    existing = list(Photo.objects.filter(title__startswith="Ảnh kho lưu trữ"))
    if len(existing) >= count:
        return existing
    sources = list(Photo.objects.exclude(title__startswith="Ảnh kho lưu trữ")[:40])
    if not sources:
        raise SystemExit("No demo photos: run load_demo first")
    rng = random.Random(SEED)
    from bench import corpus

    Photo.objects.bulk_create(
        [
            Photo(
                title=f"Ảnh kho lưu trữ {n}",
                caption=corpus.caption(rng),
                credit=rng.choice(corpus.PEN_NAMES),
                file=source.file.name,
                width=source.width,
                height=source.height,
                file_size=source.file_size,
                file_hash=source.file_hash,
                collection_id=source.collection_id,
            )
            for n, source in ((n, sources[n % len(sources)]) for n in range(len(existing), count))
        ],
        batch_size=500,
    )
    return list(Photo.objects.filter(title__startswith="Ảnh kho lưu trữ"))


def analyse(connection) -> None:
    """Fresh planner statistics (and, on SQLite, a merged FTS index) before measuring."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")
    log("statistics refreshed")


def generate(stories: int, batch: int = 2000) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench import corpus
    from toasoan.newsroom.bulk import StoryRow, bulk_add_stories
    from toasoan.newsroom.models import LISTING_RENDITIONS, ArticlePage, PenName, SectionPage, Topic
    from toasoan.search.indexing import rebuild

    started = time.monotonic()
    log(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    have = ArticlePage.objects.count()
    if have >= stories:
        log(f"{have} stories already there; nothing to add")
        analyse(connection)
        return
    call_command("load_demo", verbosity=0)
    have = ArticlePage.objects.count()
    missing = stories - have
    log(f"{have} stories there, adding {missing}")

    pen_names = [
        PenName.objects.get_or_create(
            name=name, defaults={"outside_contributor": f"Cộng tác viên {name.title()}"}
        )[0]
        for name in corpus.PEN_NAMES
    ]
    topics = [Topic.objects.get_or_create(name=name)[0] for name in corpus.TOPICS]
    photos = photo_records(PHOTOS)
    sections = list(SectionPage.objects.live().order_by("path"))
    weights = [3 if s.depth == 3 else 1 for s in sections]  # top sections publish more
    rng = random.Random(SEED + have)
    now = timezone.now()
    span = timedelta(days=365 * YEARS).total_seconds()
    shares = [0] * len(sections)
    for index in rng.choices(range(len(sections)), weights=weights, k=missing):
        shares[index] += 1

    def rows(count: int):
        moments = sorted(now - timedelta(seconds=rng.uniform(3600, span)) for _ in range(count))
        for moment in moments:
            story = corpus.Story(rng)
            yield StoryRow(
                title=corpus.title(story),
                sapo=corpus.sapo(story),
                published_at=moment,
                body_html=corpus.body_html(story),
                kind=rng.choice(["tin"] * 6 + ["bai"] * 3 + ["phong-su"]),
                lead_prefix="(QNO)",
                cover=rng.choice(photos) if rng.random() < 0.85 else None,
                pen_names=rng.sample(pen_names, rng.choice([1, 1, 1, 2])),
                topics=rng.sample(topics, rng.randint(0, 3)),
            )

    for section, count in zip(sections, shares, strict=True):
        if count:
            added = bulk_add_stories(section, rows(count), batch=batch)
            log(f"{section.title}: +{added} stories ({time.monotonic() - started:.0f} s)")

    log("rebuilding the search index")
    indexed = rebuild(batch=1000, log=lambda line: None)
    log(f"{indexed} stories indexed ({time.monotonic() - started:.0f} s)")

    log("making listing renditions of the archive photos")
    for photo in photos[:PHOTOS]:
        photo.get_renditions(*LISTING_RENDITIONS)

    analyse(connection)
    log(f"done: {ArticlePage.objects.count()} stories in {time.monotonic() - started:.0f} s")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=200_000)
    args = parser.parse_args(argv)
    setup_django()
    generate(args.stories)


if __name__ == "__main__":
    main()
