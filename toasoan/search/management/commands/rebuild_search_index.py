from django.core.management.base import BaseCommand

from toasoan.search.indexing import rebuild


class Command(BaseCommand):
    help = "Xây lại chỉ mục tìm kiếm công khai từ mọi bài đang đăng (sau khi nạp hàng loạt)."

    def handle(self, *args, **options):
        count = rebuild(
            log=lambda line: self.stdout.write(line) if options["verbosity"] > 1 else None
        )
        self.stdout.write(self.style.SUCCESS(f"Đã đưa {count} bài vào chỉ mục tìm kiếm."))
