from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "toasoan.api"
    label = "api"
    verbose_name = "API nội dung"

    def ready(self) -> None:
        from . import signals

        signals.connect()
