from django.core.management.base import BaseCommand

from toasoan.readership.counting import flush
from toasoan.readership.signals import timer_flushed


class Command(BaseCommand):
    help = "Ghi lượt đọc đang cộng dồn trong Redis vào cơ sở dữ liệu (chạy mỗi phút nếu muốn)."

    def handle(self, *args, **options):
        self.stdout.write(f"Đã ghi {flush()} lượt đọc.")
        timer_flushed.send_robust(sender=self.__class__)
