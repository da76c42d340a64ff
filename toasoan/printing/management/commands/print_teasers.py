from django.core.management.base import BaseCommand

from toasoan.printing.teaser import make_due_teasers


class Command(BaseCommand):
    help = "Make “Đọc gì trên báo in ngày mai” for tomorrow's issue once its hour has come."

    def handle(self, *args, **options):
        for teaser in make_due_teasers():
            self.stdout.write(f"{teaser.title} (chờ duyệt)")
