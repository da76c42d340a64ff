import logging
import threading

from django.apps import AppConfig

log = logging.getLogger(__name__)

TEASER_INTERVAL = 60  # seconds between looks at the clock for tomorrow's teaser in `make run`


class PrintingConfig(AppConfig):
    name = "toasoan.printing"
    label = "printing"
    verbose_name = "Báo in"

    def ready(self) -> None:
        """In `make run` a thread makes "Đọc gì trên báo in ngày mai" at its hour; production
        runs `manage.py print_teasers` from a timer instead (TOASOAN_SCHEDULER=off)."""
        from django.conf import settings

        from toasoan.core import scheduler

        if settings.TOASOAN["SCHEDULER"] == "inprocess" and scheduler.is_serving_process():
            start_teasers(TEASER_INTERVAL)


def start_teasers(interval: int) -> threading.Event:
    from django.db import close_old_connections

    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                from .teaser import make_due_teasers

                make_due_teasers()
            except Exception:  # the next minute tries again
                log.exception("Making tomorrow's print teaser failed")
            finally:
                close_old_connections()

    threading.Thread(target=loop, name="toasoan-print-teasers", daemon=True).start()
    return stop
