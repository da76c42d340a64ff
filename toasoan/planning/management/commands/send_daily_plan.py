"""Production timer (deploy/systemd): e-mail tomorrow's plan once its hour has come."""

from django.core.management.base import BaseCommand

from toasoan.planning.mailing import mailing, send_if_due, send_plan
from toasoan.planning.plan import parse_day


class Command(BaseCommand):
    help = "Gửi kế hoạch đề tài ngày mai tới ban biên tập khi đến giờ đã đặt."

    def add_arguments(self, parser):
        parser.add_argument("--ngay", help="Gửi ngay kế hoạch của ngày này (dd/mm/yyyy).")

    def handle(self, *args, ngay=None, **options):
        if ngay:
            day = parse_day(ngay)
            sent = send_plan(day, mailing().addresses)
            self.stdout.write(f"Đã gửi kế hoạch ngày {day:%d/%m/%Y} ({sent} thư).")
        elif send_if_due():
            self.stdout.write("Đã gửi kế hoạch ngày mai.")
