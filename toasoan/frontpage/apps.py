from django.apps import AppConfig


class FrontpageConfig(AppConfig):
    name = "toasoan.frontpage"
    label = "frontpage"
    verbose_name = "Trang nhất"
