from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    name = "toasoan.readership"
    label = "readership"
    verbose_name = "Lượt đọc"

    def ready(self) -> None:
        from django.conf import settings

        from toasoan.core import scheduler

        # `make run`: roll reading events up every half minute (production: a timer runs
        # `manage.py flush_views`; pages and the dashboard also flush when they need to).
        if settings.TOASOAN["SCHEDULER"] == "inprocess" and scheduler.is_serving_process():
            import threading

            from django.db import close_old_connections

            def loop() -> None:
                from .counting import flush

                while not stop.wait(settings.TOASOAN["SCHEDULER_INTERVAL"]):
                    flush()
                    close_old_connections()

            stop = threading.Event()
            threading.Thread(target=loop, name="readership-rollup", daemon=True).start()
