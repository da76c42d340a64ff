from django.apps import AppConfig


class ReachConfig(AppConfig):
    name = "toasoan.reach"
    label = "reach"
    verbose_name = "Bạn đọc và báo cáo đối ngoại"

    def ready(self) -> None:
        from toasoan.readership.signals import timer_flushed

        from .stats import warm

        timer_flushed.connect(warm, dispatch_uid="reach-warm")
