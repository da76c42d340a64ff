"""A worker's own copies stay within their bytes whatever pages pass through."""

from toasoan.core.worker_copies import MB, WorkerCopies


def test_copies_are_bounded_by_bytes_and_keep_the_newest():
    copies = WorkerCopies(max_bytes=1 * MB)
    for n in range(500):  # a crawler's walk: 500 different 30 kB pages
        copies.put(("page", n), (200, [("Content-Type", "text/html")], b"x" * 30_000), 60)
    assert copies.bytes <= 1 * MB
    assert copies.get(("page", 499)) is not None and copies.get(("page", 0)) is None
    assert 25 <= len(copies) <= 35


def test_one_huge_page_does_not_push_out_every_other():
    copies = WorkerCopies(max_bytes=1 * MB)
    copies.put("small", b"x" * 1000, 60)
    copies.put("huge", b"x" * 600_000, 60)
    assert copies.get("small") is not None and copies.get("huge") is None


def test_replacing_a_copy_counts_it_once():
    copies = WorkerCopies(max_bytes=1 * MB)
    for _ in range(100):
        copies.put("same", b"x" * 100_000, 60)
    assert len(copies) == 1 and copies.bytes < 200_000


class Story:
    """Stands for a model instance: what it holds is in its attributes."""

    def __init__(self, sapo: str, cover=None):
        self.sapo = sapo
        self._state = {"fields_cache": {"cover_image": cover}}


def test_kept_objects_weigh_what_they_hold_not_their_shell():
    copies = WorkerCopies(max_bytes=1 * MB)
    for n in range(100):  # lists of stories (related stories, rails): 100 kB each
        copies.put(("stories", n), [Story("x" * 50_000, cover=Story("y" * 50_000))], 60)
    assert copies.bytes <= 1 * MB
    assert len(copies) <= 10


def test_copies_past_their_time_leave_as_new_ones_come(monkeypatch):
    """A crawler asks for each page once: its copies go when their time is up, so a worker
    holds what the last seconds brought, not its whole bound."""
    clock = [1000.0]
    monkeypatch.setattr("toasoan.core.worker_copies.time.monotonic", lambda: clock[0])
    copies = WorkerCopies(max_bytes=8 * MB)
    for n in range(100):
        copies.put(("page", n), b"x" * 30_000, 30)
        clock[0] += 1  # one new page a second, each kept 30 s
    assert len(copies) <= 31
    assert copies.bytes < 31 * 31_000
    assert copies.get(("page", 99)) is not None


def test_counted_bytes_are_never_under_what_the_copies_hold():
    """The bound tells the truth for small entries too (story cards, <picture> tags): keys
    and the store's own bookkeeping count, as tracemalloc sees them."""
    import tracemalloc

    tracemalloc.start()
    try:
        copies = WorkerCopies(max_bytes=64 * MB)
        before = tracemalloc.get_traced_memory()[0]
        for n in range(2000):
            key = ("card", f"v{n}", f"https://bao.example/thoi-su/tin-{n}/", "vi", 1)
            copies.put(key, f"<article class=card>{n}" + "x" * 1400, 30)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held <= copies.bytes


def test_second_sight_keeps_what_comes_back_not_what_passes_once():
    """A crawler's pages are put once each and never held; a page put a second time (its
    second reader) is kept and found."""
    copies = WorkerCopies(max_bytes=8 * MB, second_sight=True)
    for n in range(500):
        copies.put(("page", n), b"x" * 30_000, 60)
    assert len(copies) == 0 and copies.bytes == 0
    copies.put(("page", 499), b"x" * 30_000, 60)  # asked for again
    assert copies.get(("page", 499)) is not None and len(copies) == 1


def test_second_sight_remembers_a_bounded_number_of_keys():
    from toasoan.core.worker_copies import SEEN_LIMIT

    copies = WorkerCopies(max_bytes=8 * MB, second_sight=True)
    for n in range(SEEN_LIMIT * 5):
        copies.put(("page", n), b"x", 60)
    assert len(copies.seen) <= SEEN_LIMIT and len(copies) == 0
    copies.clear()
    assert not copies.seen
