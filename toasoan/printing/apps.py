from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "toasoan.printing"
    label = "printing"
    verbose_name = "Báo in"
