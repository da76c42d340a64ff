from django.core.management.base import BaseCommand

from toasoan.printing.teaser import due_issues, make_teaser


class Command(BaseCommand):
    help = "Make “Đọc gì trên báo in ngày mai” for tomorrow's issue once its hour has come."

    def handle(self, *args, **options):
        for issue in due_issues():
            teaser = make_teaser(issue)
            if teaser is not None:
                self.stdout.write(f"{issue}: {teaser.title} (chờ duyệt)")
