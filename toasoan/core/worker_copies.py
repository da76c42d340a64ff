"""A small store in this worker's memory, for what is read on every request and costs a
call to Redis or a render otherwise: hot pages (toasoan.delivery), story cards and photos'
<picture> tags (frontpage, newsroom)."""

import sys
import threading
import time
from collections import OrderedDict

MB = 1024 * 1024
WEIGHT_DEPTH = 6  # a model instance's fields sit at 2, a joined cover's at 4


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
    page are not the same worker, and a run of varied uncached pages must not grow it."""

    def __init__(self, max_bytes: int = 8 * MB):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.entries: OrderedDict[object, tuple[float, object, int]] = OrderedDict()
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
        size = weight(entry) + sys.getsizeof(key)
        if size > self.max_bytes // 4:  # one huge page would push out every other
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (time.monotonic() + seconds, entry, size)
            self.bytes += size
            while self.bytes > self.max_bytes:
                oldest = next(iter(self.entries))
                self._drop(oldest)

    def _drop(self, key) -> None:
        self.bytes -= self.entries.pop(key)[2]

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.bytes = 0

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
