from django.core.management.base import BaseCommand, CommandError

from toasoan.editions.setup import setup_editions
from toasoan.frontpage.models import HomePage


class Command(BaseCommand):
    help = "Tạo locale, trang chủ và ban duyệt cho mỗi ấn bản ngôn ngữ (chạy lại an toàn)."

    def handle(self, *args, **options):
        source = HomePage.objects.filter(depth=2).order_by("path").first()
        if source is None:
            raise CommandError("Chưa có trang chủ tiếng Việt: chạy load_demo hoặc tạo trang chủ.")
        homes = setup_editions(source)
        for code, home in homes.items():
            self.stdout.write(f"Ấn bản {code}: trang chủ #{home.pk} ({home.url})")
