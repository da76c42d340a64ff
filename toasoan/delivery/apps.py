from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "toasoan.delivery"
    label = "delivery"
    verbose_name = "Phân phối trang"
