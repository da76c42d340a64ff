"""The image library lists photos without decoding them, and large photos are decoded a few at
a time (toasoan.newsroom.tasks, photo_budget): an editor uploading sees the thumbnail made
once, at upload; a colleague uploading a large photo at the same moment is asked to retry."""

import io
import threading

import pytest
import willow
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import Collection

from tests.factories import PhotoFactory
from tests.staff import client_for
from toasoan.newsroom import photo_budget
from toasoan.newsroom.models import Photo


def _jpeg(width=320, height=200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def _upload(staff, name="anh.jpg", data=None, url="/admin/images/add/"):
    field = "files[]" if "multiple" in url else "file"
    return staff.post(
        url,
        {"title": "", "caption": f"Ảnh {name}", "credit": "V.A",
         field: SimpleUploadedFile(name, data or _jpeg(), content_type="image/jpeg"),
         "collection": Collection.get_first_root_node().pk},
    )  # fmt: skip


@pytest.fixture
def staff(db):
    admin = get_user_model().objects.create_superuser("quantri_anh", "q@example.vn", "x")
    return client_for(admin)


@pytest.fixture
def budget(settings):
    """One large decode at a time per worker, no waiting, 'large' from 1,000 pixels."""
    settings.PHOTO_LARGE_MEGAPIXELS = 0.001
    settings.PHOTO_LARGE_DECODES = 1
    settings.PHOTO_DECODE_WAIT = 0
    photo_budget.reset()
    yield
    photo_budget.reset()


@pytest.fixture
def decodes(monkeypatch):
    """Every image file opened by Pillow or Willow (a rendition being made opens its original)."""
    opened = []
    pil_open, willow_open = Image.open, willow.Image.open

    def counting_pil(fp, *args, **kwargs):
        opened.append(getattr(fp, "name", fp))
        return pil_open(fp, *args, **kwargs)

    def counting_willow(fp, *args, **kwargs):
        opened.append(getattr(fp, "name", fp))
        return willow_open(fp, *args, **kwargs)

    monkeypatch.setattr(Image, "open", counting_pil)
    monkeypatch.setattr(willow.Image, "open", staticmethod(counting_willow))
    return opened


@pytest.mark.django_db
def test_uploaded_photos_are_listed_without_decoding_an_original(
    staff, decodes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            assert _upload(staff, f"hoi-nghi-{number}.jpg").status_code == 302
        multiple = _upload(staff, "le-hoi.jpg", url="/admin/images/multiple/add/")
        assert multiple.status_code == 200 and multiple.json()["success"]
    assert Photo.objects.count() == 6
    for photo in Photo.objects.all():
        assert photo.renditions.filter(filter_spec="max-165x165").exists(), photo.title

    decodes.clear()
    page = staff.get("/admin/images/")
    assert page.status_code == 200
    assert page.content.decode().count(".max-165x165.") == 6
    assert decodes == []
    assert staff.get("/admin/images/chooser/").status_code == 200
    assert decodes == []


@pytest.mark.django_db
def test_a_photo_without_its_thumbnail_is_decoded_to_list_it(staff, decodes):
    """The counter sees a decode when there is one (a photo made outside the upload form)."""
    PhotoFactory()
    decodes.clear()
    assert staff.get("/admin/images/").status_code == 200
    assert decodes


@pytest.mark.django_db
def test_a_large_upload_while_another_is_decoded_is_refused_with_a_message(
    staff, budget, django_capture_on_commit_callbacks
):
    taken, done = threading.Event(), threading.Event()

    def another_upload():
        photo_budget.hold(10_000)
        taken.set()
        done.wait(10)
        photo_budget.release()

    other = threading.Thread(target=another_upload)
    other.start()
    taken.wait(5)
    try:
        response = _upload(staff, "toan-canh.jpg")
        assert response.status_code == 200
        assert "Máy chủ đang xử lý ảnh lớn khác" in response.content.decode()
        assert not Photo.objects.exists()
        # A small photo is never held back.
        assert _upload(staff, "nho.jpg", _jpeg(20, 20)).status_code == 302
    finally:
        done.set()
        other.join()

    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(staff, "toan-canh.jpg").status_code == 302
    assert Photo.objects.get(title="Ảnh toan-canh.jpg").renditions.exists()
    assert photo_budget.hold(10_000)  # the upload gave its slot back when it answered
    photo_budget.release()


@pytest.mark.django_db
def test_the_library_shows_a_placeholder_not_an_error_while_decodes_are_busy(staff, budget):
    PhotoFactory()  # no thumbnail yet
    taken, done = threading.Event(), threading.Event()

    def hold():
        photo_budget.hold(10_000)
        taken.set()
        done.wait(10)
        photo_budget.release()

    other = threading.Thread(target=hold)
    other.start()
    taken.wait(5)
    try:
        page = staff.get("/admin/images/")
    finally:
        done.set()
        other.join()
    assert page.status_code == 200
    assert not Photo.objects.get().renditions.exists()


@pytest.mark.django_db
def test_a_large_upload_is_never_decoded_at_full_size(
    staff, budget, monkeypatch, django_capture_on_commit_callbacks
):
    """Its size comes from the header and its thumbnail from a 1/8-scale JPEG decode."""
    from PIL import ImageFile

    decoded, load = [], ImageFile.ImageFile.load

    def counting_load(image):
        decoded.append(image.size)
        return load(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(staff, "toan-canh.jpg", _jpeg(3200, 2000)).status_code == 302
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (3200, 2000)
    thumbnail = photo.renditions.get(filter_spec="max-165x165")
    assert (thumbnail.width, thumbnail.height) == (165, 103)
    assert decoded and (3200, 2000) not in decoded, decoded
