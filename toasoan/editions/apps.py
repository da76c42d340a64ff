from django.apps import AppConfig


class EditionsConfig(AppConfig):
    name = "toasoan.editions"
    label = "editions"
    verbose_name = "Ấn bản ngôn ngữ"

    def ready(self) -> None:
        from . import signals, translation

        translation.configure_article_fields()
        signals.connect()
