from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "toasoan.core"
    label = "core"
    verbose_name = "Lõi"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.backends.signals import connection_created

        from . import breaker, scheduler, signals

        signals.connect()
        connection_created.connect(breaker.database_connected)

        if settings.TOASOAN["SCHEDULER"] == "inprocess" and scheduler.is_serving_process():
            scheduler.start(settings.TOASOAN["SCHEDULER_INTERVAL"])
