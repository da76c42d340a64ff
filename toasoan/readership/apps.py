from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    name = "toasoan.readership"
    label = "readership"
    verbose_name = "Lượt đọc"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save, pre_save

        from toasoan.core import scheduler
        from toasoan.newsroom.models import ArticleByline

        from . import counting

        # The pen names' sums follow the bylines of stories already read.
        pre_save.connect(counting.byline_saving, ArticleByline, dispatch_uid="pens-saving")
        post_save.connect(counting.byline_saved, ArticleByline, dispatch_uid="pens-saved")
        post_delete.connect(counting.byline_deleted, ArticleByline, dispatch_uid="pens-gone")

        # `make run`: roll reading events up every half minute (production: a timer runs
        # `manage.py flush_views`; the beacons also flush, at most once a minute, when
        # nothing else did). No page does: reading the dashboard never writes.
        if settings.TOASOAN["SCHEDULER"] == "inprocess" and scheduler.is_serving_process():
            import threading

            from django.db import close_old_connections

            def loop() -> None:
                from .counting import flush
                from .signals import timer_flushed

                while not stop.wait(settings.TOASOAN["SCHEDULER_INTERVAL"]):
                    flush()
                    timer_flushed.send_robust(sender=ReadershipConfig)
                    close_old_connections()

            stop = threading.Event()
            threading.Thread(target=loop, name="readership-rollup", daemon=True).start()
