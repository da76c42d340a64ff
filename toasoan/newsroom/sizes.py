"""The sizes of a photo a reader's request may use: only those already made.

Making a size decodes the original and encodes the result (an AVIF encode of a 1600-pixel
photo costs a web worker tens of MB and a few hundred ms): with a task worker
(TASKS_BACKEND=database, production) a reader's request never does it. A size not made yet
is queued for the worker (`tasks.render_sizes`), once per photo and place for
QUEUED_SECONDS on all servers, and the page uses the sizes that exist meanwhile, or the
original photo when none does. Without a task worker (`make run`, tests) the sizes are made
in the request that first shows them, as the embedded setup always did.
"""

import hashlib
import logging

from django.core.cache import cache
from wagtail.images.models import SourceImageIOError

from toasoan.core.tasks import awaiting_worker, runs_in_worker

from .models import Photo, shared_filter
from .pictures import PICTURE_SECONDS, pictures
from .tasks import render_sizes

log = logging.getLogger(__name__)

QUEUED_SECONDS = 10 * 60  # a size asked for again after this is queued again
QUEUED_KEY = "newsroom:sizes-queued:{pk}:{specs}"


def shown_sizes(photo: Photo, specs: tuple[str, ...]) -> tuple[dict, bool]:
    """The renditions of `specs` this request may use, by spec, and whether all were there.

    A missing source file gives Wagtail's "not-found" renditions, as its template tags do."""
    if not runs_in_worker():
        try:
            return photo.get_renditions(*specs), True
        except SourceImageIOError:
            return _not_found(photo, specs), True
    filters = [shared_filter(spec) for spec in specs]
    found = photo.find_existing_renditions(*filters)
    renditions = {f.spec: found[f] for f in filters if f in found}
    Rendition = Photo.get_rendition_model()
    fresh = {  # read from the database: kept in the rendition cache as get_renditions does
        Rendition.construct_cache_key(photo, f.get_cache_key(photo), f.spec): found[f]
        for f in filters
        if f in found and not getattr(found[f], "_from_cache", False)
    }
    if fresh:
        Rendition.cache_backend.set_many(fresh)
    complete = len(renditions) == len(filters)
    if not complete:
        queue_missing(photo, [f.spec for f in filters if f not in found])
        awaiting_worker()  # the page is kept briefly: the sizes are there in a moment
    return renditions, complete


def queue_missing(photo: Photo, specs: list[str]) -> None:
    """Queue the making of `specs` of `photo` for the task worker, unless this worker or
    another queued them in the last QUEUED_SECONDS. Never raises into a reader's page."""
    local = ("queued", photo.pk, tuple(specs))
    if pictures.get(local) is not None:
        return
    pictures.put(local, True, min(QUEUED_SECONDS, PICTURE_SECONDS))
    try:
        named = hashlib.sha256(",".join(specs).encode()).hexdigest()[:16]
        if cache.add(QUEUED_KEY.format(pk=photo.pk, specs=named), 1, QUEUED_SECONDS):
            render_sizes.enqueue(photo.pk, specs)
    except Exception:  # the queue is down: the page shows what exists, asked again later
        log.exception("Could not queue %d sizes of photo %s", len(specs), photo.pk)


def _not_found(photo: Photo, specs) -> dict:
    rendition = Photo.get_rendition_model()(image=photo, width=0, height=0)
    rendition.file.name = "not-found"
    return dict.fromkeys(specs, rendition)
