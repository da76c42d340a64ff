from django.apps import AppConfig


class ReadershipConfig(AppConfig):
    name = "toasoan.readership"
    label = "readership"
    verbose_name = "Lượt đọc"
