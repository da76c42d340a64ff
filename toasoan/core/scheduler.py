"""In-process scheduler for the embedded setup (`make run`): publish-at and unpublish-at
times take effect within `INTERVAL` seconds with no cron or worker to install.

Production runs `manage.py publish_scheduled` from a timer instead (deploy/systemd/), so
several app servers do not all run it; set TOASOAN_SCHEDULER=off there (the default when
DEBUG is off).
"""

import io
import logging
import os
import sys
import threading
from collections.abc import Callable

from django.core.management import call_command
from django.db import close_old_connections

INTERVAL = 30  # seconds: a scheduled story appears at most this long after its time
logger = logging.getLogger(__name__)


def publish_due() -> None:
    """Publish stories whose time has come and unpublish expired ones (Wagtail's command)."""
    try:
        call_command("publish_scheduled", stdout=io.StringIO())
    except Exception:  # a bad page must not stop the scheduler
        logger.exception("Scheduled publishing failed")


def start(interval: int = INTERVAL) -> threading.Event:
    stop = threading.Event()

    def loop() -> None:
        while True:
            publish_due()
            close_old_connections()  # this thread's own connection, outside any request
            if stop.wait(interval):
                return

    threading.Thread(target=loop, name="toasoan-scheduler", daemon=True).start()
    return stop


def every(
    interval: int, job: Callable[[], object], name: str, log: logging.Logger, failure: str
) -> threading.Event:
    """A daemon thread that runs `job` every `interval` seconds (the first time after one
    interval) until the returned event is set; a failure is logged and tried again."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                job()
            except Exception:
                log.exception(failure)
            finally:
                close_old_connections()  # this thread's own connection, outside any request

    threading.Thread(target=loop, name=name, daemon=True).start()
    return stop


def is_serving_process(argv: list[str] | None = None) -> bool:
    """True in the process that serves requests (not the autoreloader's watcher, not tests)."""
    argv = sys.argv if argv is None else argv
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    return "--noreload" in argv or os.environ.get("RUN_MAIN") == "true"
