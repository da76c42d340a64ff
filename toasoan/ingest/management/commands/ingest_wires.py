"""`manage.py ingest_wires`: poll the wire sources (run every minute or two from a timer)."""

from django.core.management.base import BaseCommand

from toasoan.ingest.models import WireSource
from toasoan.ingest.wires import poll_due, poll_source


class Command(BaseCommand):
    help = "Lấy tin từ các nguồn tin (RSS/Atom, thư mục ninjs) đã đến giờ lấy vào hàng “Tin nguồn”."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="lấy mọi nguồn đang bật, ngay")
        parser.add_argument("--source", type=int, help="chỉ lấy nguồn có mã này")

    def handle(self, *args, **options):
        if options["source"]:
            source = WireSource.objects.filter(pk=options["source"]).first()
            results = [poll_source(source)] if source else []
        else:
            results = poll_due(force=options["all"])
        for result in results:
            if result.error:
                self.stdout.write(self.style.WARNING(f"{result.source}: lỗi — {result.error}"))
            else:
                self.stdout.write(
                    f"{result.source}: {result.new} tin mới, {result.duplicates} tin trùng bỏ qua"
                )
        if not results and options["verbosity"] > 1:
            self.stdout.write("Chưa nguồn nào đến giờ lấy tin.")
