"""`manage.py ingest_bench`: import a generated N-post WordPress export and report time/memory.

Writes N stories into the configured database: run it on a throwaway database (for example
the benchmark's), never on the paper's own. The stories go into a new section of the home.
"""

import json
import resource
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from toasoan.frontpage.models import HomePage
from toasoan.ingest.archive import Options
from toasoan.ingest.models import LegacyURL
from toasoan.ingest.sample import Shape, write_wxr
from toasoan.ingest.wordpress import import_wxr, scan
from toasoan.newsroom.models import ArticlePage, SectionPage


def peak_mb() -> float:
    """This process's peak RSS (Linux VmHWM: ru_maxrss would include the parent's)."""
    try:
        with open("/proc/self/status") as status:
            line = next(row for row in status if row.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Đo thời gian, bộ nhớ khi nhập một tệp WXR sinh tự động (chỉ chạy trên CSDL thử)."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=100_000)
        parser.add_argument("--batch", type=int, default=500)
        parser.add_argument("--file", help="dùng tệp WXR có sẵn thay vì sinh tệp mới")
        parser.add_argument("--report", help="ghi kết quả (JSON) vào tệp này")

    def handle(self, *args, **options):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("Chưa có trang chủ: chạy `manage.py load_demo` trên CSDL thử trước.")
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        section = SectionPage(title=f"Đo nhập kho {stamp}", slug=f"do-nhap-kho-{stamp}")
        home.add_child(instance=section)
        with tempfile.TemporaryDirectory() as work:
            path = Path(options["file"]) if options["file"] else None
            started = time.monotonic()
            if path is None:
                path = write_wxr(Path(work) / "bench.xml", posts=options["posts"], shape=Shape())
            generated = time.monotonic() - started
            size_mb = path.stat().st_size / 1024 / 1024
            before = peak_mb()
            started = time.monotonic()
            plan = scan(path)
            scanned = time.monotonic() - started
            scan_peak = peak_mb()
            last = {"t": time.monotonic()}

            def progress(phase: str, done: int, total: int) -> None:
                if phase == "writing" and done and time.monotonic() - last["t"] > 30:
                    last["t"] = time.monotonic()
                    self.stdout.write(f"  {done}/{total} mục, bộ nhớ đỉnh {peak_mb():.0f} MB")

            started = time.monotonic()
            summary = import_wxr(
                path,
                Options(
                    target=section,
                    batch=options["batch"],
                    origin=f"bench:{stamp}",
                    old_domain=f"bench-{stamp}.test",  # each run's old addresses apart
                    progress=progress,
                ),
            )
            imported = time.monotonic() - started
        report = {
            "database": connection.vendor,
            "posts": options["posts"],
            "items": plan.total,
            "file_mb": round(size_mb, 1),
            "generate_s": round(generated, 1),
            "check_pass_s": round(scanned, 1),
            "import_s": round(imported, 1),
            "stories_per_s": round(summary.imported / imported, 1) if imported else None,
            "rss_before_mb": round(before, 1),
            "rss_peak_after_check_mb": round(scan_peak, 1),
            "rss_peak_mb": round(peak_mb(), 1),
            "stories": ArticlePage.objects.descendant_of(section).count(),
            "redirects": LegacyURL.objects.filter(origin=f"bench:{stamp}").count(),
            "counts": dict(summary.counts),
            "skipped": dict(summary.skipped),
        }
        text = json.dumps(report, ensure_ascii=False, indent=2)
        self.stdout.write(text)
        if options["report"]:
            Path(options["report"]).write_text(text + "\n", encoding="utf-8")
