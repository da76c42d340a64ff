import logging
import threading

from django.apps import AppConfig

log = logging.getLogger(__name__)

MAILING_INTERVAL = 60  # seconds between looks at the clock for the e-mailed plan in `make run`


class PlanningConfig(AppConfig):
    name = "toasoan.planning"
    label = "planning"
    verbose_name = "Kế hoạch đề tài"

    def ready(self) -> None:
        """Story state follows its draft (submitted → đã nộp, published → đã đăng); in
        `make run` a thread e-mails the plan at its hour, production runs
        `manage.py send_daily_plan` from a timer instead (TOASOAN_SCHEDULER=off)."""
        from django.conf import settings

        from toasoan.core import scheduler

        from . import signals

        signals.connect()
        if settings.TOASOAN["SCHEDULER"] == "inprocess" and scheduler.is_serving_process():
            start_mailing(MAILING_INTERVAL)


def start_mailing(interval: int) -> threading.Event:
    from toasoan.core import scheduler

    def job() -> None:
        from .mailing import send_if_due

        send_if_due()

    return scheduler.every(interval, job, "toasoan-plan-mail", log, "Sending the daily plan failed")
