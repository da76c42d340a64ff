from django.core.management.base import BaseCommand

from toasoan.demo import DEMO_PASSWORD
from toasoan.demo.loader import STAFF, DemoLoader


class Command(BaseCommand):
    help = "Load the demo newspaper (sections, staff, stories, the seed article). Idempotent."

    def handle(self, *args, **options):
        created = DemoLoader(log=self.stdout.write).run()
        self.stdout.write(self.style.SUCCESS(f"Dữ liệu mẫu: thêm mới {created} mục."))
        self.stdout.write(f"Tài khoản tòa soạn mẫu (mật khẩu chung: {DEMO_PASSWORD}):")
        for account in STAFF:
            self.stdout.write(f"  {account.username:<16} {account.role:<22} {account.full_name}")
