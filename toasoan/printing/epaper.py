"""Page PDFs → the e-paper: checked on upload, rendered with poppler in the task worker.

Upload checks every file first (a PDF, not damaged, not encrypted, one page) and changes
nothing unless all pass. The build then renders each page with `pdftoppm` at three sizes
(thumbnail, reading, zoom), reads its text with `pdftotext` for search across issues, and
counts its progress on the issue so the staff screen can show it.
"""

import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task
from PIL import Image

from toasoan.core.changes import content_changed
from toasoan.core.text import fold, nfc, without_controls

from .models import EpaperState, PageState, PrintIssue, PrintPage

MAX_PDF_BYTES = 80 * 1024 * 1024
RENDER_THREADS = max(1, min(4, os.cpu_count() or 1))
SIZES = {"thumb": 320, "page": 1100}  # widths made from the zoom rendering
ZOOM_WIDTH = 2200
POPPLER_TIMEOUT = 120
_WORD = re.compile(r"[^\W_]+")


class PdfRefused(Exception):
    """An uploaded PDF that cannot be used, with the reason for the editor."""


@dataclass
class CheckedPdf:
    name: str
    file: File  # read in chunks, never whole into memory
    pages: int
    digest: str


def as_file(name: str, data: bytes | File) -> File:
    """Uploaded files stay as they came (Django keeps big ones on disk); bytes become a file."""
    return data if isinstance(data, File) else ContentFile(data, name=name)


@contextmanager
def on_disk(source: File):
    """A path poppler can read: the upload's own temporary file, else a copy made in chunks."""
    path = getattr(source, "temporary_file_path", None)
    if path is not None:
        yield Path(path())
        return
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        source.seek(0)
        for chunk in source.chunks():
            tmp.write(chunk)
        tmp.flush()
        yield Path(tmp.name)


def _digest(source: File) -> str:
    sha = hashlib.sha256()
    source.seek(0)
    for chunk in source.chunks():
        sha.update(chunk)
    return sha.hexdigest()


def _poppler(*args: str, data: bytes | None = None, timeout: int = POPPLER_TIMEOUT):
    if shutil.which(args[0]) is None:
        raise RuntimeError(
            f"{args[0]} (poppler-utils) is not installed: apt-get install poppler-utils"
        )
    return subprocess.run(args, input=data, capture_output=True, timeout=timeout, check=False)


def check_pdf(name: str, data: bytes | File) -> CheckedPdf:
    """The file as a usable page PDF, or PdfRefused saying why not."""
    source = as_file(name, data)
    if source.size > MAX_PDF_BYTES:
        raise PdfRefused(f"“{name}” quá lớn (tối đa {MAX_PDF_BYTES // 1024 // 1024} MB).")
    source.seek(0)
    if not source.read(1024).lstrip()[:5] == b"%PDF-":
        raise PdfRefused(f"“{name}” không phải tệp PDF.")
    with on_disk(source) as path:
        done = _poppler("pdfinfo", str(path))
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        if "password" in err.lower() or "encrypt" in err.lower():
            raise PdfRefused(
                f"“{name}” được mã hoá (có mật khẩu): hãy xuất lại PDF không mật khẩu."
            )
        raise PdfRefused(f"“{name}” bị hỏng, không đọc được: hãy xuất lại PDF.")
    info = dict(
        line.split(":", 1)
        for line in done.stdout.decode("utf-8", "replace").splitlines()
        if ":" in line
    )
    if info.get("Encrypted", "no").strip().startswith("yes"):
        raise PdfRefused(f"“{name}” được mã hoá (có mật khẩu): hãy xuất lại PDF không mật khẩu.")
    pages = int(info.get("Pages", "0").strip() or 0)
    if pages != 1:
        raise PdfRefused(f"“{name}” có {pages} trang: mỗi tệp phải là đúng một trang báo.")
    return CheckedPdf(name, source, pages, _digest(source))


def _page_number(name: str) -> int | None:
    numbers = re.findall(r"\d+", Path(name).stem)
    return int(numbers[-1]) if numbers else None


def attach_pdfs(issue: PrintIssue, files: list[tuple[str, bytes | File]]) -> list[PrintPage]:
    """Check all files, then give each page its PDF (file names end with the page number,
    e.g. trang-01.pdf; otherwise the files in name order are pages 1, 2, …), then queue the
    build. Any refusal leaves the issue as it was. Some pages may come now and the rest later
    (a big issue in several uploads, or one corrected page): the build renders only pages
    whose PDF changed, and a published e-paper stays readable meanwhile."""
    pages = {p.number: p for p in issue.pages.all()}
    not_ready = [
        p.number for p in pages.values() if p.state not in (PageState.APPROVED, PageState.SENT)
    ]
    if not_ready:
        raise PdfRefused(
            "Chỉ tải PDF khi mọi trang đã được TBT duyệt; chưa duyệt: trang "
            + ", ".join(map(str, sorted(not_ready)))
            + "."
        )
    if not files:
        raise PdfRefused("Chưa chọn tệp PDF nào.")
    numbers = [_page_number(name) for name, _ in files]
    if None in numbers or len(set(numbers)) != len(numbers):
        numbers = list(range(1, len(files) + 1))
        files = sorted(files, key=lambda f: f[0])
    unknown = [n for n in numbers if n not in pages]
    if unknown:
        raise PdfRefused(f"Số báo có {issue.page_count} trang, không có trang {unknown[0]}.")
    checked = [check_pdf(name, data) for name, data in files]
    with transaction.atomic():
        issue = PrintIssue.objects.select_for_update().get(pk=issue.pk)
        changed = []
        replaced = []
        for number, pdf in zip(numbers, checked, strict=True):
            page = pages[number]
            if page.pdf.name:
                replaced.append(page.pdf.name)
            name = f"{issue.date:%Y-%m-%d}-trang-{number:02d}-{pdf.digest[:16]}.pdf"
            pdf.file.seek(0)
            page.pdf.save(name, pdf.file, save=False)  # streamed to storage in chunks
            page.save(update_fields=["pdf"])
            changed.append(page)
        issue.epaper_state = EpaperState.BUILDING
        issue.epaper_done = 0
        issue.epaper_error = ""
        issue.save(update_fields=["epaper_state", "epaper_done", "epaper_error"])
        issue_id = issue.pk
        transaction.on_commit(lambda: _forget(replaced))  # the corrected pages' old PDFs
        transaction.on_commit(lambda: build_epaper.enqueue(issue_id))
    return changed


def _forget(names: list[str]) -> None:
    for name in names:
        if PrintPage.objects.filter(pdf=name).exists():
            continue  # the same file given again
        default_storage.delete(name)


def folded_words(text: str) -> str:
    """ " word word … ": folded words between single spaces, for whole-word matching."""
    return " " + " ".join(_WORD.findall(fold(text))) + " "


@dataclass
class Rendered:
    zoom: bytes
    sizes: dict[str, bytes]
    text: str


def render_pdf(source: Path | bytes) -> Rendered:
    """The page's images (zoom, then each of SIZES) and text, from a PDF on disk (or bytes);
    no database, no storage, so several pages can render at once in threads (poppler and
    Pillow release the GIL)."""
    with tempfile.TemporaryDirectory() as work:
        if isinstance(source, bytes):
            (Path(work) / "trang.pdf").write_bytes(source)
            source = Path(work) / "trang.pdf"
        done = _poppler(
            "pdftoppm", "-jpeg", "-jpegopt", "quality=82", "-singlefile",
            "-scale-to-x", str(ZOOM_WIDTH), "-scale-to-y", "-1",
            str(source), str(Path(work) / "zoom"),
        )  # fmt: skip
        if done.returncode != 0:
            raise PdfRefused("không dựng được ảnh trang.")
        zoom = (Path(work) / "zoom.jpg").read_bytes()
        text = _poppler("pdftotext", "-enc", "UTF-8", str(source), "-")
        raw = text.stdout.decode("utf-8", "replace") if text.returncode == 0 else ""
    sizes = {}
    for size, width in SIZES.items():
        with Image.open(io.BytesIO(zoom)) as image:
            image.draft("RGB", (width, width * 4))  # decode at a fraction of the size
            image.thumbnail((width, width * 4), Image.Resampling.LANCZOS, reducing_gap=2.0)
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80, optimize=True, progressive=True)
            sizes[size] = out.getvalue()
    return Rendered(zoom, sizes, nfc(without_controls(raw)).strip())


def store_page(page: PrintPage, rendered: Rendered) -> None:
    """Store the page's images under names that carry a digest of their bytes: media are served
    with a week's expiry (deploy/nginx), so a corrected page must get a new address for readers
    to see it at once; the images it replaces are deleted."""
    base = f"bao-in/{page.issue.date:%Y/%m-%d}/trang-{page.number:02d}"
    old = {page.image_zoom, page.image_thumb, page.image_page} - {""}
    page.image_zoom = _store(f"{base}-{ZOOM_WIDTH}", rendered.zoom)
    page.image_thumb = _store(f"{base}-{SIZES['thumb']}", rendered.sizes["thumb"])
    page.image_page = _store(f"{base}-{SIZES['page']}", rendered.sizes["page"])
    page.text = rendered.text
    page.folded_text = folded_words(page.text)
    page.rendered_pdf = page.pdf.name
    page.save(
        update_fields=[
            "text",
            "folded_text",
            "image_thumb",
            "image_page",
            "image_zoom",
            "rendered_pdf",
        ]
    )
    for name in old - {page.image_zoom, page.image_thumb, page.image_page}:
        default_storage.delete(name)


def render_page(page: PrintPage) -> Rendered:
    """Render one page's PDF: read by poppler from the storage's own file when it has one,
    else from a temporary copy made in chunks (S3) — never the whole PDF in memory."""
    try:
        return render_pdf(Path(page.pdf.path))
    except NotImplementedError:  # a remote storage has no local path
        with page.pdf.open("rb") as handle, on_disk(handle) as path:
            return render_pdf(path)


def _store(stem: str, data: bytes) -> str:
    """`stem-<digest>.jpg`: the same bytes keep their name, other bytes get another."""
    name = f"{stem}-{hashlib.sha256(data).hexdigest()[:16]}.jpg"
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(data))


@task()
def build_epaper(issue_id: int) -> int:
    """Render the pages of an issue whose PDF changed since they were last rendered; returns
    how many were. At most RENDER_THREADS pages render at once and one more waits rendered,
    so memory holds a few pages, never the issue. Readers keep the published e-paper (and
    each page's previous images) until the new ones are stored."""
    issue = PrintIssue.objects.filter(pk=issue_id).first()
    if issue is None:
        return 0
    with_pdf = list(issue.pages.exclude(pdf="").select_related("issue").order_by("number"))
    pages = [p for p in with_pdf if p.rendered_pdf != p.pdf.name]
    done = len(with_pdf) - len(pages)
    PrintIssue.objects.filter(pk=issue_id).update(epaper_done=done)
    built = 0
    try:
        # Pages render in the pool; this thread stores them, in page order.
        with ThreadPoolExecutor(max_workers=RENDER_THREADS) as pool:
            waiting = deque()
            todo = iter(pages)

            def submit_next():
                page = next(todo, None)
                if page is not None:
                    waiting.append((page, pool.submit(render_page, page)))

            for _ in range(RENDER_THREADS + 1):
                submit_next()
            while waiting:
                page, rendering = waiting.popleft()
                result = rendering.result()
                submit_next()
                store_page(page, result)
                del result
                built += 1
                PrintIssue.objects.filter(pk=issue_id).update(epaper_done=done + built)
    except Exception as error:  # told on the issue's screen, not lost in a log
        PrintIssue.objects.filter(pk=issue_id).update(
            epaper_state=EpaperState.FAILED, epaper_error=str(error)[:500]
        )
        raise
    missing = issue.pages.filter(pdf="").count()
    if not missing:
        PrintIssue.objects.filter(pk=issue_id).update(
            epaper_state=EpaperState.READY, epaper_error="", epaper_public=True
        )
    else:
        PrintIssue.objects.filter(pk=issue_id).update(
            epaper_state=EpaperState.FAILED, epaper_error=f"Còn {missing} trang chưa có PDF."
        )
    # The archive's cached pages show the new issue (toasoan.core.changes).
    day = issue.date
    content_changed(
        urls=["/bao-in/", f"/bao-in/{day:%Y-%m-%d}/", f"/bao-in/thang/{day.year}-{day.month}/"]
    )
    return built


@dataclass
class Hit:
    page: PrintPage
    snippet: str
    exact_phrase: bool


def search_pages(query: str, limit: int = 50) -> list[Hit]:
    """Pages of published e-papers holding every word of the query, accents or not
    ("doi ngoai" finds "đối ngoại"); pages holding the whole phrase first, newest first."""
    words = _WORD.findall(fold(query))[:12]
    if not words:
        return []
    pages = PrintPage.objects.filter(issue__epaper_public=True)
    for word in words:
        pages = pages.filter(folded_text__contains=f" {word} ")
    phrase = " " + " ".join(words) + " "
    hits = [
        Hit(page, snippet(page.text, words), phrase in page.folded_text)
        for page in pages.select_related("issue").order_by("-issue__date", "number")[:limit]
    ]
    hits.sort(key=lambda h: not h.exact_phrase)
    return hits


def snippet(text: str, words: list[str], width: int = 160) -> str:
    """About `width` characters of the page's text around the first word found."""
    flat = " ".join(text.split())
    folded = fold(flat)  # same length as `flat` for Vietnamese (one letter per letter)
    at = -1
    if len(folded) == len(flat):
        for word in words:
            match = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded)
            if match:
                at = match.start()
                break
    start = max(0, at - width // 3) if at >= 0 else 0
    piece = flat[start : start + width]
    return ("… " if start else "") + piece + (" …" if start + width < len(flat) else "")
