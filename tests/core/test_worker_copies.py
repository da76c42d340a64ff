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
