from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "toasoan.api"
    label = "api"
    verbose_name = "API nội dung"
