"""The plan e-mailed to the desk: "Kế hoạch đề tài ngày …", plain text with an HTML copy,
sent once a day at the set hour (in-process in `make run`, `send_daily_plan` from a timer in
production)."""

from datetime import date, datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from toasoan.core.addresses import public_url

from .models import PlanMailing
from .plan import day_label, day_plan, to_chase


def subject_for(day: date) -> str:
    return f"Kế hoạch đề tài ngày {day:%d/%m/%Y}"


def plan_message(day: date, recipients: list[str]) -> EmailMultiAlternatives:
    context = {
        "day": day,
        "day_label": day_label(day),
        "groups": day_plan(None, day),
        "chase": to_chase(None),
        "link": public_url(reverse("planning:meeting") + f"?ngay={day:%d/%m/%Y}"),
    }
    message = EmailMultiAlternatives(
        subject_for(day),
        render_to_string("planning/plan_email.txt", context),
        to=recipients,
    )
    message.attach_alternative(render_to_string("planning/plan_email.html", context), "text/html")
    return message


def send_plan(day: date, recipients: list[str]) -> int:
    if not recipients:
        return 0
    return plan_message(day, recipients).send()


def mailing() -> PlanMailing:
    return PlanMailing.objects.order_by("pk").first() or PlanMailing.objects.create()


def send_if_due(now: datetime | None = None) -> bool:
    """At or after the set hour, once a day: tomorrow's plan to the recipients."""
    now = timezone.localtime(now or timezone.now())
    with transaction.atomic():
        settings_row = PlanMailing.objects.select_for_update().filter(pk=mailing().pk).get()
        tomorrow = now.date() + timedelta(days=1)
        if now.time() < settings_row.send_at or settings_row.last_sent_for == tomorrow:
            return False
        if not settings_row.addresses:
            return False
        send_plan(tomorrow, settings_row.addresses)
        settings_row.last_sent_for = tomorrow
        settings_row.save(update_fields=["last_sent_for"])
    return True
