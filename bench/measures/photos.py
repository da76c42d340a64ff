"""Large photos (issue #24): what a 40-megapixel upload costs, and the image library with
twenty of them.

- Peak memory: each step runs in its own child process (`python -m bench.measures.photos`)
  and its ru_maxrss comes from wait4(), so nothing the bench process did before counts:
  uploading one 40-MP photo through the photo form (header check, cleaning, storing, the
  library thumbnail made at upload), then making every public size of it.
- The library: twenty 40-MP photos uploaded the same way into their own collection, then
  GET /admin/images/?collection_id=… as a signed-in administrator, timed; the count of image
  files opened while rendering it shows no original is decoded.

The photos are removed at the end, so the step can be run again on the same archive.
"""

import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import Context, goal, measurement, progress, summary

WIDTH, HEIGHT = 8000, 5000  # 40 megapixels, the default PHOTO_MAX_MEGAPIXELS
COLLECTION = "Bench: ảnh 40 megapixel"
LIBRARY_PHOTOS = 20


def photo_bytes(seed: int) -> bytes:
    """A 40-MP JPEG with some texture (a few MB, like a camera's), different for each seed."""
    from PIL import Image, ImageFilter

    size = (WIDTH // 8, HEIGHT // 8)
    bands = [Image.effect_noise(size, 40 + 10 * ((seed + i) % 3)) for i in range(3)]
    small = Image.merge("RGB", bands).filter(ImageFilter.GaussianBlur(1))
    out = io.BytesIO()
    small.resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC).save(out, "JPEG", quality=85)
    return out.getvalue()


def _collection():
    from wagtail.models import Collection

    existing = Collection.objects.filter(name=COLLECTION).first()
    return existing or Collection.get_first_root_node().add_child(name=COLLECTION)


def upload(folder: str) -> dict:
    """Child: upload the photos in `folder` through the photo form, as the admin's upload view
    does (made by the parent: making a 40-MP image costs memory the upload must not count)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.images.forms import get_image_form

    from toasoan.newsroom import photo_budget
    from toasoan.newsroom.models import Photo

    form_class = get_image_form(Photo)
    collection = _collection()
    made, seconds = [], []
    for path in sorted(Path(folder).glob("*.jpg")):
        data = path.read_bytes()
        start = time.perf_counter()
        form = form_class(
            data={"title": "", "caption": f"Toàn cảnh {path.stem}", "credit": "Bench",
                  "collection": collection.pk},
            files={"file": SimpleUploadedFile(path.name, data)},
            user=None,
        )  # fmt: skip
        assert form.is_valid(), form.errors
        photo = form.save()  # the library thumbnail is made here (tasks run inline)
        photo_budget.release()  # what the end of the upload request does
        seconds.append(time.perf_counter() - start)
        assert photo.renditions.filter(filter_spec="max-165x165").exists()
        made.append({"id": photo.pk, "MB": round(len(data) / 1e6, 1)})
    return {"photos": made, "upload_s": [round(s, 2) for s in seconds]}


def renditions(photo_id: int) -> dict:
    """Child: every size the public site shows of one photo (listings, leads, the story)."""
    from toasoan.newsroom.models import Photo
    from toasoan.newsroom.pictures import COVER_RENDITIONS, LISTING_RENDITIONS

    photo = Photo.objects.get(pk=photo_id)
    specs = tuple(dict.fromkeys(LISTING_RENDITIONS + COVER_RENDITIONS))
    start = time.perf_counter()
    made = photo.get_renditions(*specs)
    return {"renditions": len(made), "seconds": round(time.perf_counter() - start, 1)}


def _high_water_mb() -> float:
    """This process's peak RSS since exec (VmHWM). ru_maxrss is not used alone: Linux carries
    the forking parent's high-water mark into it, so a child of a big bench process would
    report the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _child(*args: str) -> dict:
    """Run one step in a fresh process; its result with its peak RSS (VmHWM at its end, and
    wait4's ru_maxrss, which also counts the parent's RSS when it forked)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.measures.photos", *args], stdout=subprocess.PIPE, text=True
    )
    out = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0, (args, out)
    result = json.loads(out.strip().splitlines()[-1])
    result["ru_maxrss_MB"] = round(usage.ru_maxrss / 1024, 1)
    return result


def _staff_client():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, _ = get_user_model().objects.get_or_create(
        username="bench-anh", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _opened_files():
    """Count image files opened by Pillow or Willow (what making a rendition does)."""
    import willow
    from PIL import Image

    opened = []
    pil_open, willow_open = Image.open, willow.Image.open

    def pil(fp, *args, **kwargs):
        opened.append(fp)
        return pil_open(fp, *args, **kwargs)

    def wil(fp, *args, **kwargs):
        opened.append(fp)
        return willow_open(fp, *args, **kwargs)

    Image.open, willow.Image.open = pil, staticmethod(wil)
    return opened


def _remove():
    from wagtail.models import Collection

    from toasoan.newsroom.models import Photo

    for photo in Photo.objects.filter(collection__name=COLLECTION):
        photo.delete()  # Wagtail's signals delete the files of the photo and its renditions
    Collection.objects.filter(name=COLLECTION).delete()


@measurement("photos")
def large_photos(ctx: Context) -> dict:
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    _remove()
    with tempfile.TemporaryDirectory(prefix="bench-photos-") as folder:
        one, more_folder = Path(folder, "one"), Path(folder, "more")
        one.mkdir(), more_folder.mkdir()
        Path(one, "toan-canh-0.jpg").write_bytes(photo_bytes(0))
        for seed in range(1, LIBRARY_PHOTOS):
            Path(more_folder, f"toan-canh-{seed:02}.jpg").write_bytes(photo_bytes(seed))
        progress("photos: one 40-MP upload, then its public sizes, each in a child process")
        first = _child("upload", str(one))
        sizes = _child("renditions", str(first["photos"][0]["id"]))
        progress(f"photos: {LIBRARY_PHOTOS - 1} more 40-MP uploads for the library page")
        more = _child("upload", str(more_folder))

    from wagtail.models import Collection

    collection = Collection.objects.get(name=COLLECTION)
    client = _staff_client()
    url = f"/admin/images/?collection_id={collection.pk}"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    shown = response.content.decode().count(".max-165x165.")
    opened = _opened_files()
    times = []
    for _ in range(max(5, ctx.rounds * 2)):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    decoded = len(opened)
    _remove()
    library = summary(times)
    return {
        "photo": f"{WIDTH} × {HEIGHT} JPEG, {first['photos'][0]['MB']} MB",
        "upload_one": {
            "seconds": first["upload_s"][0],
            "ru_maxrss_MB": first["ru_maxrss_MB"],
            "baseline_rss_MB": first["baseline_rss_MB"],
            "peak_rss_MB": first["peak_rss_MB"],
        },
        "public_sizes": {
            "renditions": sizes["renditions"],
            "seconds": sizes["seconds"],
            "baseline_rss_MB": sizes["baseline_rss_MB"],
            "peak_rss_MB": sizes["peak_rss_MB"],
        },
        "uploads_19": {
            "seconds": summary(more["upload_s"]),
            "peak_rss_MB": more["peak_rss_MB"],
        },
        "library_ms": library,
        "library_thumbnails_shown": shown,
        "library_files_decoded": decoded,
        "targets": [
            goal("image library, 20 × 40 MP, p95", library["p95"], 1000, "ms"),
            goal("image files decoded to list the library", decoded, 0, ""),
        ],
    }


if __name__ == "__main__":
    from bench.generate import setup_django

    setup_django()
    baseline = _high_water_mb()  # Django and the app loaded, nothing decoded
    step, *rest = sys.argv[1:]
    result = upload(rest[0]) if step == "upload" else renditions(int(rest[0]))
    print(json.dumps({**result, "baseline_rss_MB": baseline, "peak_rss_MB": _high_water_mb()}))
