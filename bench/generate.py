"""Fill the configured database with a realistic archive, in bulk.

    DATABASE_URL=… python -m bench.generate --stories 200000

Runs the migrations and the demo loader (sections, staff, pen names, photos), adds pen
names, topics and photo records, then appends stories spread over ten years across the
demo's sections with `bulk_add_stories`, and rebuilds the search index. Idempotent: a
database that already holds enough stories keeps them (its search index and renditions are
completed if an earlier run was interrupted).
"""

import argparse
import multiprocessing
import os
import queue
import random
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
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


def in_threads(work: Callable, items: Iterable, threads: int) -> None:
    """`work(item)` for every item from `threads` threads, each with its own connection.

    On PostgreSQL two threads keep both cores busy: one builds rows in Python while the
    other's rows are being inserted (the GIL is released while psycopg waits). SQLite
    allows one writer, so it gets one thread.
    """
    from django.db import connection

    todo: queue.Queue = queue.Queue()
    for item in items:
        todo.put(item)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            while not errors:
                try:
                    item = todo.get_nowait()
                except queue.Empty:
                    return
                work(item)
        except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]


def build_index(batch: int = 1000, missing_only: bool = False) -> int:
    """Refill the search index with `entry_for`, the same rows publishing writes; with
    `missing_only`, add the rows of the live stories that have none and drop those of
    stories no longer live (a bench's own publishes, whose index task the bench's task
    worker did not get to: a full rebuild for those took half an hour).

    `toasoan.search.indexing.rebuild()` does this in one thread; here pk ranges are
    indexed from two threads, which halves the time on a 200,000-story archive.
    """
    from django.db import connection

    from toasoan.newsroom.models import ArticlePage
    from toasoan.search.indexing import entry_for
    from toasoan.search.models import SearchEntry

    stories = (
        ArticlePage.objects.live()
        .order_by("pk")
        .only("pk", "title", "sapo", "body", "live", "first_published_at", "path")
        .prefetch_related("tagged_topics__tag")
    )
    live = ArticlePage.objects.live().order_by("pk").values_list("pk", flat=True)
    if missing_only:
        SearchEntry.objects.exclude(page_id__in=live).delete()
        live = live.exclude(pk__in=SearchEntry.objects.values("page_id"))
        stories = stories.exclude(pk__in=SearchEntry.objects.values("page_id"))
    else:
        SearchEntry.objects.all().delete()
    pks = list(live)
    ranges = [(pks[i], pks[min(i + batch, len(pks)) - 1]) for i in range(0, len(pks), batch)]

    def index_range(bounds: tuple[int, int]) -> None:
        chunk = stories.filter(pk__gte=bounds[0], pk__lte=bounds[1])
        SearchEntry.objects.bulk_create(
            [entry_for(page, [t.tag.name for t in page.tagged_topics.all()]) for page in chunk]
        )

    in_threads(index_range, ranges, threads=1 if connection.vendor == "sqlite" else 2)
    return SearchEntry.objects.count()


def index_is_complete() -> bool:
    from toasoan.newsroom.models import ArticlePage
    from toasoan.search.models import SearchEntry

    return SearchEntry.objects.count() == ArticlePage.objects.live().count()


def make_renditions(photos) -> None:
    """The card renditions of every archive photo and the story sizes of those used in
    bodies, as the worker makes them after a publish (those already made are kept)."""
    from django.db import connection

    from toasoan.newsroom.pictures import CARD_SPECS, PHOTO_SPECS

    threads = 1 if connection.vendor == "sqlite" else 2
    in_threads(lambda photo: photo.get_renditions(*CARD_SPECS), photos, threads)
    body = photos[:BODY_PHOTO_POOL]
    in_threads(lambda photo: photo.get_renditions(*PHOTO_SPECS), body, threads)


def analyse(connection) -> None:
    """Fresh planner statistics (and, on SQLite, a merged FTS index) before measuring."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES('optimize')")
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")
    log("statistics refreshed")


# Photos in a story's body, as the paper's real ones have them: a short news item one now
# and then, an article one to three, a reportage a series (the seed article has two).
BODY_PHOTOS = {"tin": (0, 0, 0, 1), "bai": (1, 1, 2, 3), "phong-su": (3, 5, 8, 10)}
BODY_PHOTO_POOL = 60  # body photos come from the first archive photos (their sizes made)
PROCESSES = 3  # PostgreSQL: one process's rows are built while the others' are written


def body_blocks(story, kind: str, photo_ids: list[int]) -> tuple[list[dict], str]:
    """Paragraph blocks with the kind's share of photo blocks set between them, and the
    body's text as the search index reads it (`indexing.body_text`: the paragraphs' text a
    line each; photos add none), so the index row is written without reading the blocks back."""
    from bench import corpus
    from toasoan.newsroom.bulk import paragraph

    rng = story.rng
    photos = rng.choice(BODY_PHOTOS[kind])
    paragraphs = corpus.paragraphs(story, max(3, photos + 1))
    blocks = []
    for n, text in enumerate(paragraphs):
        blocks += paragraph(text)
        if n < photos:
            photo = rng.choice(photo_ids[:BODY_PHOTO_POOL])
            blocks.append({"type": "photo", "value": {"image": photo, "wide": False}})
    return blocks, "\n".join(text.removeprefix("<p>").removesuffix("</p>") for text in paragraphs)


def add_stories(
    section, count: int, seed: int, archive: dict, batch: int = 2000, progress=None
) -> int:
    """`count` stories under `section` and their search index rows, `batch` at a time, each
    batch its own transaction (an interrupted run keeps what it wrote, index included).

    The rows are those `bulk_add_stories` writes (PostgreSQL: sent with COPY); the index
    rows are `entry_for`'s, from the texts at hand. `archive`: pen name, topic and photo ids,
    topic names, the moment "now" and the span of years.
    """
    from django.db import connection, transaction

    from bench import corpus
    from toasoan.newsroom.bulk import StoryRow, StoryWriter, copy_rows
    from toasoan.search.indexing import entry_for
    from toasoan.search.models import SearchEntry

    rng = random.Random(seed)
    now, span, photo_ids = archive["now"], archive["span"], archive["photo_ids"]
    moments = sorted(now - timedelta(seconds=rng.uniform(3600, span)) for _ in range(count))
    writer = StoryWriter()
    for start in range(0, count, batch):
        rows, bodies = [], []
        for moment in moments[start : start + batch]:
            story = corpus.Story(rng)
            kind = rng.choice(["tin"] * 6 + ["bai"] * 3 + ["phong-su"])
            blocks, body = body_blocks(story, kind, photo_ids)
            bodies.append(body)
            rows.append(
                StoryRow(
                    title=corpus.title(story),
                    sapo=corpus.sapo(story),
                    published_at=moment,
                    blocks=blocks,
                    kind=kind,
                    lead_prefix="(QNO)",
                    cover_id=rng.choice(photo_ids) if rng.random() < 0.85 else None,
                    pen_name_ids=rng.sample(archive["pen_name_ids"], rng.choice([1, 1, 1, 2])),
                    topic_ids=rng.sample(archive["topic_ids"], rng.randint(0, 3)),
                )
            )
        with transaction.atomic():
            stories = writer.write(section, rows)
            entries = [
                entry_for(story, [archive["topics"][t] for t in row.topic_ids], body)
                for story, row, body in zip(stories, rows, bodies, strict=True)
            ]
            for entry in entries:
                entry.indexed_at = now  # what auto_now sets on save()
            if connection.vendor == "postgresql":
                copy_rows(SearchEntry, entries)
            else:
                SearchEntry.objects.bulk_create(entries, batch_size=500)
        if progress:
            progress(len(rows))
    return count


_done = None  # stories added by all the processes (a shared counter)


def _share_counter(counter) -> None:
    global _done
    _done = counter


def _progress(total: int, count: int, missing: int, started: float) -> None:
    if total % 20_000 < count:
        elapsed = time.monotonic() - started
        log(f"{total}/{missing} stories ({total / elapsed:.0f}/s)")


def _add_section(item: tuple) -> tuple[str, int]:
    """One section's stories, in a process of the pool (PostgreSQL)."""
    from django.db import connection

    from toasoan.newsroom.models import SectionPage

    section_pk, count, seed, archive, batch, missing, started = item
    section = SectionPage.objects.get(pk=section_pk)

    def progress(added: int) -> None:
        with _done.get_lock():
            _done.value += added
            total = _done.value
        _progress(total, added, missing, started)

    try:
        add_stories(section, count, seed, archive, batch=batch, progress=progress)
    finally:
        connection.close()
    return section.title, count


def generate(stories: int, batch: int = 2000) -> None:
    from django.core.management import call_command
    from django.db import connection, connections
    from django.utils import timezone

    from bench import corpus
    from toasoan.newsroom.models import ArticlePage, PenName, SectionPage, Topic

    started = time.monotonic()
    log(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", interactive=False, verbosity=0)
    have = ArticlePage.objects.count()
    if have >= stories:
        # An interrupted run may have committed the stories but not the index or renditions.
        log(f"{have} stories already there; nothing to add")
        if not index_is_complete():
            log("the search index is incomplete: adding the stories it misses")
            indexed = build_index(missing_only=True)
            log(f"{indexed} stories indexed ({time.monotonic() - started:.0f} s)")
        make_renditions(photo_records(PHOTOS))
        analyse(connection)
        return
    from toasoan.newsroom.models import Photo

    if not Photo.objects.filter(title__startswith="Ảnh kho lưu trữ").exists():
        # Not when an earlier run got past it (its archive photos are there): the loader
        # reads every story of the archive (load_demo_views), gigabytes at 300,000.
        call_command("load_demo", verbosity=0)
    if not index_is_complete():  # stories of an earlier run left without their index rows
        log(f"{build_index()} stories indexed ({time.monotonic() - started:.0f} s)")
    have = ArticlePage.objects.count()
    missing = stories - have
    log(f"{have} stories there, adding {missing}")

    pen_name_ids = [
        PenName.objects.get_or_create(
            name=name, defaults={"outside_contributor": f"Cộng tác viên {name.title()}"}
        )[0].pk
        for name in corpus.PEN_NAMES
    ]
    topics = {Topic.objects.get_or_create(name=name)[0].pk: name for name in corpus.TOPICS}
    photos = photo_records(PHOTOS)
    archive = {
        "pen_name_ids": pen_name_ids,
        "topic_ids": list(topics),
        "topics": topics,
        "photo_ids": [photo.pk for photo in photos],
        "now": timezone.now(),
        "span": timedelta(days=365 * YEARS).total_seconds(),
    }
    sections = list(SectionPage.objects.live().order_by("path"))
    weights = [3 if s.depth == 3 else 1 for s in sections]  # top sections publish more
    rng = random.Random(SEED + have)
    shares = [0] * len(sections)
    for index in rng.choices(range(len(sections)), weights=weights, k=missing):
        shares[index] += 1
    # Sections in parallel, the largest first (PostgreSQL: while one process builds rows in
    # Python, the server writes the others'); a section stays with one process, whose writer
    # knows the slugs it has given there.
    work = sorted(
        (
            (s, count, SEED + have + n * 1_000_003)
            for n, (s, count) in enumerate(zip(sections, shares, strict=True))
            if count
        ),
        key=lambda item: -item[1],
    )
    if connection.vendor == "sqlite":  # one writer at a time
        counter = [0]

        def progress(count: int) -> None:
            counter[0] += count
            _progress(counter[0], count, missing, started)

        for section, count, seed in work:
            add_stories(section, count, seed, archive, batch=batch, progress=progress)
    else:
        # Processes, not threads: building the rows is Python's work, and one process
        # (the GIL) gets one core's share of a busy machine at most.
        connections.close_all()  # each process opens its own
        context = multiprocessing.get_context("fork")
        done = context.Value("q", 0)
        items = [(s.pk, count, seed, archive, batch, missing, started) for s, count, seed in work]
        with ProcessPoolExecutor(PROCESSES, context, _share_counter, (done,)) as pool:
            for title, count in pool.map(_add_section, items):
                log(f"{title}: +{count} ({time.monotonic() - started:.0f} s)")

    log("making listing renditions of the archive photos")
    make_renditions(photos[:PHOTOS])
    log(f"renditions made ({time.monotonic() - started:.0f} s)")

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
