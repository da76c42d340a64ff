"""`manage.py import_wxr FILE`: bring a WordPress export in (or merge another paper's)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from toasoan.ingest.management.archive_import import run_archive_import
from toasoan.ingest.wordpress import import_wxr
from toasoan.ingest.wxr import WxrError


class Command(BaseCommand):
    help = (
        "Nhập tệp xuất WordPress (WXR 1.0–1.2): bài, chuyên mục, chủ đề, tác giả, ảnh, "
        "bình luận và chuyển hướng địa chỉ cũ. Chạy lại không nhập trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xml xuất từ WordPress (Công cụ → Xuất)")
        parser.add_argument(
            "--media-dir",
            help="bản sao thư mục wp-content/uploads: ảnh có tệp ở đây được nhập vào kho ảnh; "
            "ảnh không có tệp giữ địa chỉ gốc (không tải gì về)",
        )
        parser.add_argument(
            "--section-map",
            action="append",
            default=[],
            metavar="CU=MOI",
            help="chuyên mục WordPress (slug) → chuyên mục của báo (đường dẫn, vd thoi-su/quoc-te);"
            " “cu=-” bỏ bài của chuyên mục đó. Lặp lại hoặc ngăn bằng dấu phẩy.",
        )
        parser.add_argument(
            "--into",
            help="nhập vào chuyên mục này (đường dẫn hoặc mã trang) hoặc trang chủ một ấn bản; "
            "mặc định: trang chủ của báo",
        )
        parser.add_argument(
            "--old-domain",
            default="",
            help="tên miền cũ (sáp nhập báo): địa chỉ cũ chỉ chuyển hướng khi đến từ tên miền này",
        )
        parser.add_argument(
            "--flatten",
            action="store_true",
            help="mọi bài vào thẳng chuyên mục --into; chuyên mục cũ thành chủ đề",
        )
        parser.add_argument("--no-featured", action="store_true", help="bài ghim không lên Nổi bật")
        parser.add_argument("--no-comments", action="store_true", help="không nhập bình luận")
        parser.add_argument("--origin", default="", help="tên nguồn (mặc định: tên miền trong tệp)")
        parser.add_argument("--batch", type=int, default=500, help="số mục mỗi giao dịch")
        parser.add_argument(
            "--time-zone", default="", help="múi giờ của ngày giờ không kèm GMT (mặc định: báo)"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}.")
        verbose = options["verbosity"] > 0

        def progress(phase: str, done: int, total: int) -> None:
            if verbose and phase == "writing" and (done == total or done % 5000 == 0) and done:
                self.stdout.write(f"  {done}/{total} mục")

        run_archive_import(
            self,
            options,
            lambda opts: import_wxr(path, opts),
            WxrError,
            flatten=options["flatten"],
            featured=not options["no_featured"],
            comments=not options["no_comments"],
            time_zone=options["time_zone"],
            progress=progress,
        )
