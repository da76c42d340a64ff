from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "toasoan.core"
    label = "core"
    verbose_name = "Lõi"

    def ready(self) -> None:
        from django.conf import settings

        from . import scheduler, signals

        signals.connect()

        if settings.TOASOAN["SCHEDULER"] == "inprocess" and scheduler.is_serving_process():
            scheduler.start(settings.TOASOAN["SCHEDULER_INTERVAL"])
