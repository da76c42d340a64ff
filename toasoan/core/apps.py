from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "toasoan.core"
    label = "core"
    verbose_name = "Lõi"

    def ready(self) -> None:
        from django.conf import settings
        from django.core.signals import request_started
        from django.db.backends.signals import connection_created

        from . import breaker, health, scheduler, signals

        signals.connect()
        connection_created.connect(breaker.database_connected)
        request_started.connect(health.skip_quiet_health_checks, dispatch_uid="quiet-health")

        if settings.TOASOAN["SCHEDULER"] == "inprocess" and scheduler.is_serving_process():
            scheduler.start(settings.TOASOAN["SCHEDULER_INTERVAL"])
