"""Staff screens: the "Tin nguồn" queue and the archive import (upload, progress, summary)."""

import shutil
import zipfile
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from wagtail.admin import messages

from toasoan.newsroom.roles import ADMINISTRATOR

from . import archive, wires
from .forms import DraftForm, ImportForm
from .models import ImportRun, WireItem, WireSource
from .tasks import start_import

MAX_ZIP_MEMBERS = 500_000
MAX_ZIP_BYTES = 4 * 1024**3
STALE_AFTER = 15 * 60  # seconds without progress: the import has probably stopped


def is_ingest_admin(user) -> bool:
    """Administrators import archives and manage wire sources."""
    return user.is_active and (
        user.is_superuser
        or user.has_perm("ingest.import_archive")
        or user.groups.filter(name=ADMINISTRATOR).exists()
    )


def can_see_wires(user) -> bool:
    return wires.can_use_wires(user) or is_ingest_admin(user)


def _require(check):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def upload_dir() -> Path:
    """Uploaded exports hold readers' emails and IPs: kept outside MEDIA_ROOT, never served."""
    configured = settings.TOASOAN["IMPORT_DIR"]
    return Path(configured) if configured else Path(settings.MEDIA_ROOT).parent / "ingest-uploads"


# --- the wire queue ----------------------------------------------------------------------------
@_require(can_see_wires)
def wire_queue(request):
    status = request.GET.get("status", WireItem.Status.NEW)
    items = WireItem.objects.select_related("source", "story")
    if status in WireItem.Status.values:
        items = items.filter(status=status)
    source_id = request.GET.get("source", "")
    if source_id.isdigit():
        items = items.filter(source_id=int(source_id))
    page = Paginator(items.order_by("-received_at", "-pk"), 50).get_page(request.GET.get("p"))
    return render(
        request,
        "ingest/admin/queue.html",
        {
            "page_title": "Tin nguồn",
            "items": page,
            "status": status,
            "statuses": WireItem.Status.choices,
            "sources": WireSource.objects.all(),
            "source_id": source_id,
            "failing": WireSource.objects.filter(active=True, failures__gt=0),
            "is_admin": is_ingest_admin(request.user),
        },
    )


@_require(can_see_wires)
@require_http_methods(["GET", "POST"])
def wire_item(request, pk: int):
    item = get_object_or_404(WireItem.objects.select_related("source", "story"), pk=pk)
    sections = wires.sections_for(request.user)
    form = DraftForm(request.POST or None, sections=sections)
    if request.method == "POST":
        if request.POST.get("action") == "discard":
            wires.discard(item, request.user)
            messages.success(request, f"Đã bỏ qua tin “{item.title}”.")
            return redirect("ingest_admin:wire_queue")
        if form.is_valid():
            section = form.cleaned_data["section"]
            if not section.permissions_for_user(request.user).can_add_subpage():
                raise PermissionDenied
            try:
                story = wires.make_draft(item, section, request.user, form.cleaned_data["kind"])
            except wires.AlreadyUsed as used:
                messages.error(request, "Tin này đã được dùng để tạo bài rồi.")
                return redirect("wagtailadmin_pages:edit", int(str(used)))
            messages.success(
                request, f"Đã tạo bản nháp “{story.title}” (ghi nguồn {item.source.credit})."
            )
            return redirect("wagtailadmin_pages:edit", story.pk)
    return render(
        request,
        "ingest/admin/item.html",
        {"page_title": item.title, "item": item, "form": form, "can_draft": sections.exists()},
    )


# --- archive import ------------------------------------------------------------------------------
def _save_upload(upload, run: ImportRun) -> Path:
    folder = upload_dir() / f"run-{run.pk}"
    folder.mkdir(parents=True, exist_ok=True)
    if upload.name.lower().endswith(".xml"):
        path = folder / "export.xml"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        return path
    items = folder / "ninjs"
    items.mkdir(exist_ok=True)
    with zipfile.ZipFile(upload) as archive:
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".json")]
        if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_ZIP_BYTES:
            raise ValueError("Tệp .zip quá lớn.")
        for n, member in enumerate(members):
            name = f"{n:07d}-{Path(member.filename).name}"  # no folders: nothing escapes
            with archive.open(member) as source, (items / name).open("wb") as target:
                shutil.copyfileobj(source, target)
    return items


@_require(is_ingest_admin)
@require_http_methods(["GET", "POST"])
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        run = ImportRun.objects.create(
            format=ImportRun.Format.WXR
            if upload.name.lower().endswith(".xml")
            else ImportRun.Format.NINJS,
            file_name=Path(upload.name).name[:255],
            created_by=request.user,
            options={
                "target": data["target"],
                "section_map": data["section_map"],
                "old_domain": data["old_domain"],
                "flatten": data["flatten"],
                "featured": data["featured"],
                "comments": data["comments"],
                "media_dir": data.get("media_dir", ""),
            },
        )
        try:
            run.stored_path = str(_save_upload(upload, run))
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            run.status, run.error = ImportRun.Status.FAILED, f"Không đọc được tệp .zip: {error}"
            run.finished_at = timezone.now()
            run.save()
            return redirect("ingest_admin:import_run", run.pk)
        run.save(update_fields=["stored_path"])
        start_import(run.pk)
        return redirect("ingest_admin:import_run", run.pk)
    return render(
        request,
        "ingest/admin/import_form.html",
        {
            "page_title": "Nhập kho bài",
            "form": form,
            "runs": ImportRun.objects.select_related("created_by")[:20],
        },
    )


def _delete_upload(run: ImportRun) -> None:
    """Uploaded exports hold readers' personal data: delete them once the import is done."""
    root = upload_dir().resolve()
    folder = Path(run.stored_path).resolve()
    while folder.parent != root and folder != folder.parent:
        folder = folder.parent
    if folder.parent == root and folder.name.startswith("run-"):
        shutil.rmtree(folder, ignore_errors=True)
    ImportRun.objects.filter(stored_path=run.stored_path).update(stored_path="")


def _run_state(run: ImportRun) -> dict:
    stale = (
        not run.finished
        and (timezone.now() - run.updated_at).total_seconds() > STALE_AFTER
        and run.status != ImportRun.Status.QUEUED
    )
    return {
        "status": run.status,
        "label": run.get_status_display(),
        "done": run.done,
        "total": run.total,
        "percent": run.percent,
        "finished": run.finished,
        "stale": stale,
        "text": f"đã đọc {run.total} mục"
        if run.status == ImportRun.Status.CHECKING
        else f"{run.done}/{run.total} mục",
    }


@_require(is_ingest_admin)
def import_run(request, pk: int):
    run = get_object_or_404(ImportRun.objects.select_related("created_by"), pk=pk)
    state = _run_state(run)
    again_allowed = (run.finished or state["stale"]) and bool(run.stored_path)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "delete_file" and again_allowed:
        _delete_upload(run)
        messages.success(request, "Đã xoá tệp tải lên khỏi máy chủ.")
        return redirect("ingest_admin:import_run", run.pk)
    if action == "again" and again_allowed:
        again = ImportRun.objects.create(
            format=run.format,
            file_name=run.file_name,
            stored_path=run.stored_path,
            options=run.options,
            created_by=request.user,
        )
        start_import(again.pk)
        return redirect("ingest_admin:import_run", again.pk)
    return render(
        request,
        "ingest/admin/run.html",
        {
            "page_title": f"Nhập “{run.file_name}”",
            "run": run,
            "state": state,
            "again_allowed": again_allowed,
            "summary": archive.labelled(run.summary) if run.summary else None,
            "status_url": reverse("ingest_admin:import_run_status", args=[run.pk]),
        },
    )


@_require(is_ingest_admin)
def import_run_status(request, pk: int):
    run = get_object_or_404(ImportRun, pk=pk)
    return JsonResponse(_run_state(run))
