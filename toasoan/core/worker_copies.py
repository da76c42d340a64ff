"""A small store in this worker's memory, for what is read on every request and costs a
call to Redis or a render otherwise: hot pages (toasoan.delivery), story cards and photos'
<picture> tags (frontpage, newsroom)."""

import sys
import threading
import time
from collections import OrderedDict

MB = 1024 * 1024
WEIGHT_DEPTH = 6  # a model instance's fields sit at 2, a joined cover's at 4
# What the store itself spends on each entry beyond the key and the value: the ordered
# dict's slot and link, the (expiry, value, size) tuple, the float and int in it.
ENTRY_BYTES = 200
# Keys put once and not kept (second-sight stores): at most this many are remembered, as
# hashes (~130 kB); then the memory starts again. A hot key comes back long before that.
SEEN_LIMIT = 2048


def weight(entry: object, depth: int = 0) -> int:
    """About the bytes `entry` holds: strings and bytes exactly; containers (a page is
    (status, headers, body)), dicts and objects' attributes (model instances kept by
    core.changes.kept, with what was fetched with them) with what they hold, a few levels
    down. Shared items are counted each time they are met: over, never under."""
    size = sys.getsizeof(entry)
    if depth > WEIGHT_DEPTH or isinstance(entry, str | bytes | int | float):
        return size
    if isinstance(entry, tuple | list | set | frozenset):
        return size + sum(weight(item, depth + 1) for item in entry)
    if isinstance(entry, dict):
        return size + sum(weight(k, depth + 1) + weight(v, depth + 1) for k, v in entry.items())
    attributes = getattr(entry, "__dict__", None)
    return size + (weight(attributes, depth + 1) if isinstance(attributes, dict) else 0)


class WorkerCopies:
    """The hottest pages kept in this worker's memory too (a news spike is a handful of
    URLs), so a hit costs neither a call to Redis nor unpickling a whole page. Keys carry
    the generation, so a change makes every copy unreachable, as in the shared cache.

    Bounded by bytes, not entries: 100 copies of a 30 kB story and 100 of a 300 kB home
    page are not the same worker, and a run of varied uncached pages must not grow it.

    `second_sight`: an entry is kept only when it is put a second time (a doorkeeper of
    recent keys' hashes remembers the first). A crawler's pages and the cards and pictures
    only they show are put once and never held; a spike's pages, the rails' cards and the
    masthead's pictures come back at once and are kept from their second time. Without it a
    crawl filled every store to its bound: ~20 MB of each worker (issue #18)."""

    def __init__(self, max_bytes: int = 8 * MB, second_sight: bool = False):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.entries: OrderedDict[object, tuple[float, object, int]] = OrderedDict()
        self.seen: set[int] | None = set() if second_sight else None
        self.lock = threading.Lock()  # gunicorn's gthread workers share it between threads

    def get(self, key):
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return found[1]

    def put(self, key, entry, seconds: int) -> None:
        if self.seen is not None and not self._seen_before(key):
            return
        size = weight(entry) + weight(key) + ENTRY_BYTES
        if size > self.max_bytes // 4:  # one huge page would push out every other
            return
        now = time.monotonic()
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (now + seconds, entry, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                oldest = next(iter(self.entries))
                self._drop(oldest)
            # Copies past their time go as new ones come, not only when asked for again: a
            # crawler's pages, each asked for once, would otherwise sit until the bound.
            while (oldest := next(iter(self.entries))) != key and self.entries[oldest][0] < now:
                self._drop(oldest)

    def _seen_before(self, key) -> bool:
        """Whether `key` was put before (or is held); if not, it is remembered for next time."""
        mark = hash(key)
        with self.lock:
            if key in self.entries or mark in self.seen:
                self.seen.discard(mark)
                return True
            if len(self.seen) >= SEEN_LIMIT:
                self.seen.clear()
            self.seen.add(mark)
            return False

    def discard(self, key) -> None:
        with self.lock:
            if key in self.entries:
                self._drop(key)

    def _drop(self, key) -> None:
        self.bytes -= self.entries.pop(key)[2]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.bytes = 0
            if self.seen is not None:
                self.seen.clear()

    def __len__(self) -> int:
        return len(self.entries)


_libc = None


def give_back_native_memory() -> None:
    """Return freed C memory to the system (glibc's malloc_trim). Image encoders (AVIF above
    all) allocate tens of MB for one rendition; glibc keeps what they free in the process,
    so a web worker that made a few photo sizes stayed 200 MB bigger for its whole life."""
    global _libc
    try:
        if _libc is None:
            import ctypes

            _libc = ctypes.CDLL("libc.so.6")
        _libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        _libc = False
