"""Background work (django-tasks): an archive import started from the admin, wire polling."""

import logging
import threading
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django_tasks import task
from wagtail.models import Page

from .archive import ImportRefused, Options, parse_section_map
from .models import ImportRun
from .ninjs import NinjsError
from .ninjs_import import import_ninjs
from .wires import poll_due
from .wordpress import import_wxr
from .wxr import WxrError

log = logging.getLogger(__name__)


@task()
def poll_wires() -> dict:
    """Poll the wire sources whose time has come; one failing source never stops the rest."""
    results = poll_due()
    return {r.source: {"new": r.new, "duplicates": r.duplicates, "error": r.error} for r in results}


def execute_import(run_id: int) -> None:
    """Run one `ImportRun`, writing its progress and summary as it goes."""
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    options = run.options or {}
    last = {"at": -1000}

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "checking":
            ImportRun.objects.filter(pk=run_id).update(total=total)
        elif done == total or done == 0 or done - last["at"] >= 200:
            last["at"] = done
            ImportRun.objects.filter(pk=run_id).update(
                status=ImportRun.Status.RUNNING, done=done, total=total
            )

    ImportRun.objects.filter(pk=run_id).update(status=ImportRun.Status.CHECKING)
    try:
        target = (
            Page.objects.filter(pk=options.get("target")).first() if options.get("target") else None
        )
        media = options.get("media_dir")
        opts = Options(
            target=target,
            media_dir=Path(media) if media else None,
            section_map=parse_section_map([options.get("section_map", "")]),
            old_domain=options.get("old_domain", ""),
            flatten=bool(options.get("flatten")),
            featured=options.get("featured", True),
            comments=options.get("comments", True),
            user=run.created_by,
            progress=progress,
        )
        importer = import_ninjs if run.format == ImportRun.Format.NINJS else import_wxr
        summary = importer(run.stored_path, opts)
    except (WxrError, NinjsError, ImportRefused) as error:
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.FAILED, error=str(error), finished_at=timezone.now()
        )
        return
    except Exception as error:  # recorded for the admin; the run can be started again
        log.exception("import run %s failed", run_id)
        ImportRun.objects.filter(pk=run_id).update(
            status=ImportRun.Status.FAILED,
            error=(
                f"Lỗi khi nhập: {error}. Phần đã nhập được giữ lại; chạy lại sẽ nhập tiếp "
                "phần còn thiếu mà không nhập trùng."
            ),
            finished_at=timezone.now(),
        )
        return
    ImportRun.objects.filter(pk=run_id).update(
        status=ImportRun.Status.DONE,
        summary=summary.as_dict(),
        finished_at=timezone.now(),
    )


@task()
def run_import(run_id: int) -> None:
    execute_import(run_id)


def start_import(run_id: int) -> None:
    """Start an import from the admin so the page can show its progress bar.

    With a worker backend the task is queued. With the in-process (immediate) backend of
    the embedded setup it runs in a thread of this process, so the upload answers at once;
    `TOASOAN["INGEST_INLINE"]` (tests) runs it before answering instead.
    """
    backend = settings.TASKS["default"]["BACKEND"]
    if settings.TOASOAN["INGEST_INLINE"]:
        execute_import(run_id)
    elif backend.endswith(("ImmediateBackend", "DummyBackend")):

        def work() -> None:
            try:
                execute_import(run_id)
            finally:
                close_old_connections()

        threading.Thread(target=work, name=f"toasoan-import-{run_id}", daemon=True).start()
    else:
        run_import.enqueue(run_id)
