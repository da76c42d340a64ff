"""`manage.py import_ninjs DIR --into SECTION`: merge another paper's ninjs archive."""

from pathlib import Path

from django.core.management.base import BaseCommand

from toasoan.ingest.management.archive_import import run_archive_import
from toasoan.ingest.ninjs import NinjsError
from toasoan.ingest.ninjs_import import import_ninjs


class Command(BaseCommand):
    help = (
        "Nhập một thư mục tin IPTC ninjs (JSON, bản 1.x–3.x) vào một chuyên mục hay ấn bản, "
        "giữ bút danh, ngày giờ, ảnh và chuyển hướng địa chỉ cũ. Chạy lại không nhập trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="thư mục chứa các tệp .json (đọc cả thư mục con)")
        parser.add_argument("--into", help="chuyên mục (đường dẫn hoặc mã trang) hay trang chủ")
        parser.add_argument("--media-dir", help="thư mục chứa tệp ảnh mà các tin trỏ tới")
        parser.add_argument(
            "--section-map",
            action="append",
            default=[],
            metavar="CHU_DE=CHUYEN_MUC",
            help="tin có chủ đề (subject) này vào chuyên mục này; “chu-de=-” bỏ qua",
        )
        parser.add_argument("--old-domain", default="", help="tên miền cũ của báo được sáp nhập")
        parser.add_argument("--origin", default="", help="tên nguồn (mặc định: tên thư mục)")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        run_archive_import(self, options, lambda opts: import_ninjs(folder, opts), NinjsError)
