"""How many large photos one worker decodes at a time.

Making a rendition decodes the whole original (4 bytes a pixel: a 40-megapixel photo is
~160 MB, and Pillow's copies double it). A worker runs a few request threads: two editors
uploading large photos at once, or a listing making sizes for several, would multiply that
past the worker's memory limit. So a photo over PHOTO_LARGE_MEGAPIXELS is decoded only while
holding one of PHOTO_LARGE_DECODES slots of this process (1 by default); a request that
finds none free within PHOTO_DECODE_WAIT seconds is refused with a Vietnamese message (an
upload) or shows the "image not found" placeholder (a listing), never a 500.

Small photos are never counted: they cost little and are most of what a newsroom uploads.
A thread holds at most one slot, whatever it nests (an upload, then its thumbnails).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.conf import settings
from django.core.signals import request_finished
from wagtail.images.models import SourceImageIOError

BUSY_MESSAGE = (
    "Máy chủ đang xử lý ảnh lớn khác ({megapixels:.0f} megapixel trở lên). "
    "Hãy chờ một lát rồi tải ảnh này lên lại."
)


class DecodeBusy(SourceImageIOError):
    """No slot for a large photo: Wagtail's tags show their placeholder instead of a 500."""


_slots: threading.BoundedSemaphore | None = None
_slots_lock = threading.Lock()
_held = threading.local()


def large_pixels() -> int:
    return int(getattr(settings, "PHOTO_LARGE_MEGAPIXELS", 12) * 1e6)


def is_large(pixels: int) -> bool:
    return pixels > large_pixels()


def busy_message() -> str:
    return BUSY_MESSAGE.format(megapixels=large_pixels() / 1e6)


def _semaphore() -> threading.BoundedSemaphore:
    global _slots
    if _slots is None:
        with _slots_lock:
            if _slots is None:
                _slots = threading.BoundedSemaphore(getattr(settings, "PHOTO_LARGE_DECODES", 1))
    return _slots


def holding() -> bool:
    return getattr(_held, "slot", False)


def hold(pixels: int) -> bool:
    """Take a slot for this thread until `release()` (or the request's end); False when none
    was free within PHOTO_DECODE_WAIT seconds. True at once for a small photo."""
    if not is_large(pixels) or holding():
        return True
    if not _semaphore().acquire(timeout=getattr(settings, "PHOTO_DECODE_WAIT", 3.0)):
        return False
    _held.slot = True
    return True


def release(**kwargs) -> None:
    """Give this thread's slot back (request_finished calls it after every request)."""
    if holding():
        _held.slot = False
        _semaphore().release()


@contextmanager
def decoding(pixels: int):
    """Around a decode of a photo of `pixels`: within a slot, or DecodeBusy."""
    if not is_large(pixels) or holding():
        yield
        return
    if not hold(pixels):
        raise DecodeBusy(busy_message())
    try:
        yield
    finally:
        release()


def reset() -> None:
    """A fresh budget read from settings (tests change PHOTO_LARGE_DECODES)."""
    global _slots
    release()
    _slots = None


def connect() -> None:
    request_finished.connect(release, dispatch_uid="newsroom-photo-decode-slot")
