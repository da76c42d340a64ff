from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "toasoan.syndication"
    label = "syndication"
    verbose_name = "Phân phối"

    def ready(self) -> None:
        from . import signals

        signals.connect()
