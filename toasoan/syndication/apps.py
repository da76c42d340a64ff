from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "toasoan.syndication"
    label = "syndication"
    verbose_name = "Phân phối"
