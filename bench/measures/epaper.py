"""The e-paper (issue #22): building a 24-page issue from real-size page PDFs in the task
worker.

Twenty-four broadsheet pages (330 × 480 mm) are drawn with Vietnamese text in four columns
and a textured lead photo at print resolution (300 dpi across the page, a few MB each, as a
layout program exports them). A child process uploads them to a bench issue as the staff
screen does (every PDF checked with poppler, then the build queued in the database); a
`db_worker` started beforehand builds the e-paper (three image sizes and the text of each
page). The clock runs from the upload's commit to the issue being "Đã đăng", reading the
progress the staff screen shows. The bench issue is removed at the end.
"""

import io
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from . import Context, goal, measurement, progress

PAGES = 24
BENCH_DATE = date(2099, 12, 31)
PHOTO_PX = (3500, 1600)  # 300 dpi across a 300 mm column span
LIMIT_S = 60
ROOT = Path(__file__).resolve().parents[2]

TEXT = (
    "Hoạt động thông tin đối ngoại có vai trò quan trọng thúc đẩy phát triển kinh tế - xã "
    "hội của tỉnh. Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác thông "
    "tin đối ngoại năm, triển khai nhiệm vụ năm tới với sự tham dự của các sở, ban, ngành. "
)


def textured_photo(seed: int) -> bytes:
    from PIL import Image, ImageFilter

    size = (PHOTO_PX[0] // 3, PHOTO_PX[1] // 3)
    bands = [Image.effect_noise(size, 35 + 10 * ((seed + i) % 3)) for i in range(3)]
    small = Image.merge("RGB", bands).filter(ImageFilter.GaussianBlur(1))
    out = io.BytesIO()
    small.resize(PHOTO_PX, Image.Resampling.BICUBIC).save(out, "JPEG", quality=92)
    return out.getvalue()


def make_pdfs(folder: Path) -> float:
    """The 24 pages; returns their total size in MB."""
    from toasoan.printing.samples import page_pdf

    total = 0
    for number in range(1, PAGES + 1):
        stories = [
            (f"Trang {number}: thông tin đối ngoại và phát triển", (TEXT * 6 + "\n\n") * 5),
            ("Tin ngắn trong tỉnh", (TEXT * 3 + "\n\n") * 4),
        ]
        data = page_pdf(
            issue_date=BENCH_DATE,
            issue_number=99999,
            page_number=number,
            section="Thời sự",
            stories=stories,
            photo=textured_photo(number),
        )
        (folder / f"trang-{number:02d}.pdf").write_bytes(data)
        total += len(data)
    return round(total / 1e6, 1)


def _remove() -> None:
    from django.core.files.storage import default_storage

    from toasoan.printing.models import PrintIssue

    for issue in PrintIssue.objects.filter(date=BENCH_DATE):
        for page in issue.pages.all():
            for name in (page.pdf.name, page.image_thumb, page.image_page, page.image_zoom):
                if name and default_storage.exists(name):
                    default_storage.delete(name)
        issue.delete()


def upload(folder: str) -> dict:
    """Child (TASKS_BACKEND=database): a bench issue, its pages approved, the PDFs attached
    (checked, stored, the build queued) as the upload screen does."""
    from toasoan.printing import epaper, planning
    from toasoan.printing.models import PageState

    _remove()
    issue = planning.create_issue(issue_date=BENCH_DATE, number=99999, page_count=PAGES)
    issue.pages.update(state=PageState.APPROVED)
    files = [(p.name, p.read_bytes()) for p in sorted(Path(folder).glob("*.pdf"))]
    start = time.perf_counter()
    epaper.attach_pdfs(issue, files)
    return {"issue": issue.pk, "upload_s": round(time.perf_counter() - start, 1)}


def _env() -> dict:
    return {**os.environ, "TASKS_BACKEND": "database", "PYTHONPATH": str(ROOT)}


@measurement("epaper")
def epaper_build(ctx: Context) -> dict:
    from toasoan.printing.models import EpaperState, PrintIssue

    _remove()
    with tempfile.TemporaryDirectory(prefix="bench-epaper-") as folder:
        progress(f"epaper: drawing {PAGES} broadsheet page PDFs")
        megabytes = make_pdfs(Path(folder))
        worker = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "db_worker", "--no-reload",
             "--no-startup-delay", "--interval", "0.2", "-v", "0"],
            env=_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            done = subprocess.run(
                [sys.executable, "-m", "bench.measures.epaper", "upload", folder],
                env=_env(), cwd=ROOT, capture_output=True, text=True, check=False,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
            queued = time.perf_counter()
            uploaded = json.loads(done.stdout.strip().splitlines()[-1])
            seen, state = -1, ""
            while time.perf_counter() - queued < LIMIT_S * 5:
                issue = PrintIssue.objects.get(pk=uploaded["issue"])
                state = issue.epaper_state
                if issue.epaper_done != seen:
                    seen = issue.epaper_done
                    progress(f"epaper: {seen}/{PAGES} pages built")
                if state in (EpaperState.READY, EpaperState.FAILED):
                    break
                time.sleep(0.25)
            seconds = round(time.perf_counter() - queued, 1)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
    assert state == EpaperState.READY, (state, issue.epaper_error)
    pages = issue.pages.order_by("number")
    zoom = pages.first().image_zoom
    found = PrintIssue.objects.filter(pk=issue.pk, pages__folded_text__contains=" doi ngoai ")
    result = {
        "pages": PAGES,
        "pdf_MB": megabytes,
        "upload_and_check_s": uploaded["upload_s"],
        "build_s": seconds,
        "per_page_s": round(seconds / PAGES, 2),
        "zoom_image": zoom.rsplit("-", 2)[-2] + ".jpg",  # its width (the name ends in a digest)
        "text_searchable": found.exists(),
        "targets": [
            goal(f"e-paper of {PAGES} pages built in the task worker", seconds, LIMIT_S, "s")
        ],
    }
    _remove()
    return result


if __name__ == "__main__":
    from bench.generate import setup_django

    setup_django()
    if sys.argv[1:2] == ["upload"]:
        print(json.dumps(upload(sys.argv[2])))
    else:  # python -m bench.measures.epaper: this step alone, on DATABASE_URL
        from . import Context

        print(json.dumps(epaper_build(Context(target="", stories=0)), ensure_ascii=False, indent=1))
