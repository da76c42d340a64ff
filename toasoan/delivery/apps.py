from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "toasoan.delivery"
    label = "delivery"
    verbose_name = "Phân phối trang"

    def ready(self) -> None:
        from .sites import remember_locales

        remember_locales()
