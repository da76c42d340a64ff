from django.apps import AppConfig


class PollsConfig(AppConfig):
    name = "toasoan.polls"
    label = "polls"
    verbose_name = "Bình chọn"

    def ready(self) -> None:
        from . import signals

        signals.connect()
