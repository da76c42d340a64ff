"""Task queue wiring shared by the apps (django-tasks; the backend is chosen in settings)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend

# The task worker takes the highest priority first: a purge is what readers wait for to see
# the news (publish-to-visible), and must not queue behind the photo sizes of an upload.
READERS_WAITING = 50


def runs_in_worker() -> bool:
    """True when enqueued tasks run later in `db_worker`, not inline in the enqueuing request.

    Work that only saves time for a later request (e.g. pre-rendering photo sizes) is worth
    queueing only then: inline it would just slow the editor's click down.
    """
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    return not isinstance(backend, ImmediateBackend | DummyBackend)


_awaiting = ContextVar("awaiting_worker", default=False)


def awaiting_worker() -> None:
    """This answer shows a stand-in for work queued to the task worker (a photo size not
    made yet shows the original): the page caches keep it briefly (delivery.pagecache)."""
    _awaiting.set(True)


@contextmanager
def watching_for_stand_ins() -> Iterator[Callable[[], bool]]:
    """Around a render: yields a function telling whether it called `awaiting_worker`."""
    token = _awaiting.set(False)
    try:
        yield _awaiting.get
    finally:
        _awaiting.reset(token)
