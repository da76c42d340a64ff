import logging
import threading

from django.apps import AppConfig

log = logging.getLogger(__name__)

WIRE_INTERVAL = 60  # seconds between looks at the wire sources in the embedded setup


class IngestConfig(AppConfig):
    name = "toasoan.ingest"
    label = "ingest"
    verbose_name = "Nhập liệu"

    def ready(self) -> None:
        """`make run`: poll the wire sources from a thread, like core's scheduled publishing.

        Production runs `manage.py ingest_wires` from a timer instead (TOASOAN_SCHEDULER=off).
        """
        from django.conf import settings

        from toasoan.core import scheduler

        if settings.TOASOAN["SCHEDULER"] == "inprocess" and scheduler.is_serving_process():
            start_wire_polling()


def start_wire_polling(interval: int = WIRE_INTERVAL) -> threading.Event:
    from django.db import close_old_connections

    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval):
            try:
                from .wires import poll_due

                poll_due()
            except Exception:  # a broken source is recorded by poll_due; this is anything else
                log.exception("Wire polling failed")
            finally:
                close_old_connections()

    threading.Thread(target=loop, name="toasoan-wires", daemon=True).start()
    return stop
