"""A small store in this worker's memory, for what is read on every request and costs a
call to Redis or a render otherwise: hot pages (toasoan.delivery), story cards (frontpage)."""

import threading
import time
from collections import OrderedDict


class WorkerCopies:
    """The hottest pages kept in this worker's memory too (a news spike is a handful of
    URLs), so a hit costs neither a call to Redis nor unpickling a whole page. Keys carry
    the generation, so a change makes every copy unreachable, as in the shared cache."""

    def __init__(self, size: int = 128):
        self.size = size
        self.entries: OrderedDict[object, tuple[float, object]] = OrderedDict()
        self.lock = threading.Lock()  # gunicorn's gthread workers share it between threads

    def get(self, key):
        with self.lock:
            found = self.entries.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return found[1]

    def put(self, key, entry, seconds: int) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic() + seconds, entry)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
