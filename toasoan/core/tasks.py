"""Task queue wiring shared by the apps (django-tasks; the backend is chosen in settings)."""

from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend


def runs_in_worker() -> bool:
    """True when enqueued tasks run later in `db_worker`, not inline in the enqueuing request.

    Work that only saves time for a later request (e.g. pre-rendering photo sizes) is worth
    queueing only then: inline it would just slow the editor's click down.
    """
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    return not isinstance(backend, ImmediateBackend | DummyBackend)
