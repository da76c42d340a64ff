from django.apps import AppConfig


class ReachConfig(AppConfig):
    name = "toasoan.reach"
    label = "reach"
    verbose_name = "Bạn đọc và báo cáo đối ngoại"
