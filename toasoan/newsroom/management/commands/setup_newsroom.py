from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

from toasoan.newsroom.workflow import setup_newsroom


class Command(BaseCommand):
    help = "Create or complete the newsroom roles, section desks and approval workflows."

    def handle(self, *args, **options):
        sites = list(Site.objects.select_related("root_page"))
        if not sites:
            raise CommandError("Chưa có trang web nào: tạo trang chủ và các chuyên mục trước.")
        for site in sites:
            groups = setup_newsroom(site.root_page)
            self.stdout.write(f"{site.root_page.title}: {len(groups)} nhóm và quy trình duyệt.")
