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
    from toasoan.core import scheduler

    def job() -> None:
        from .teaser import make_due_teasers

        make_due_teasers()

    return scheduler.every(
        interval, job, "toasoan-print-teasers", log, "Making tomorrow's print teaser failed"
    )
