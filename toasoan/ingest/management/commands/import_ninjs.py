"""`manage.py import_ninjs DIR --into SECTION`: merge another paper's ninjs archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from toasoan.ingest.archive import ImportRefused, Options, parse_section_map, resolve_target
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
        media_dir = options["media_dir"]
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(f"--media-dir: không thấy thư mục {media_dir}.")
        try:
            summary = import_ninjs(
                Path(options["folder"]),
                Options(
                    target=resolve_target(options["into"]),
                    media_dir=Path(media_dir) if media_dir else None,
                    section_map=parse_section_map(options["section_map"]),
                    old_domain=options["old_domain"],
                    origin=options["origin"],
                    batch=max(1, options["batch"]),
                ),
            )
        except (NinjsError, ImportRefused) as error:
            raise CommandError(str(error)) from None
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Xong trong {summary.seconds:.1f} giây."))
