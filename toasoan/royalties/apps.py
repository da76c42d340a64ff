from django.apps import AppConfig


class RoyaltiesConfig(AppConfig):
    name = "toasoan.royalties"
    label = "royalties"
    verbose_name = "Nhuận bút"
