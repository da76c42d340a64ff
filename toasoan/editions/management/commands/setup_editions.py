from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from toasoan.editions.setup import setup_editions


class Command(BaseCommand):
    help = "Tạo locale, trang chủ và ban duyệt cho mỗi ấn bản ngôn ngữ (chạy lại an toàn)."

    def handle(self, *args, **options):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        source = site.root_page.specific if site else None
        if source is None:
            raise CommandError("Chưa có trang chủ tiếng Việt: chạy load_demo hoặc tạo trang chủ.")
        homes = setup_editions(source)
        for code, home in homes.items():
            self.stdout.write(f"Ấn bản {code}: trang chủ #{home.pk} ({home.url})")
